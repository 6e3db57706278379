// Types for test-servers.mjs, shared by vitest.config.ts, test helpers and .ci/run.
export interface MatrixServer {
  version: string;
  role: "middle" | "newest";
}
export interface PlannedServer {
  path: string;
  version: string;
  role?: "middle" | "newest";
}
export const MATRIX_SERVERS: MatrixServer[];
export const NATSCLI_VERSION: string;
export function toolsCache(): string;
export function matrixServerPath(version: string): string;
export function natscliCachePath(): string;
export function natscliBinary(): string | undefined;
export function natsServerVersionOf(binary: string): string | undefined;
export function defaultNatsServer(): string | undefined;
export function buildMatrix(log?: (line: string) => void): { built: boolean };
export function testServerPlan(): { primary?: PlannedServer; extra: Required<PlannedServer>[]; untested: string[]; single: boolean };
