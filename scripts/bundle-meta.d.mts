export function bundleMetaPath(root: string): string;
export function sourcesBehind(root: string): (file: string) => string[];
