/** Expression tree nodes as @jmespath-community/jmespath's compile() returns them (only the fields we read). */
export interface AstNode {
  type: string;
  name?: string;
  value?: unknown;
  left?: AstNode;
  right?: AstNode;
  child?: AstNode;
  children?: AstNode[];
  expression?: AstNode;
  trueExpr?: AstNode;
  falseExpr?: AstNode;
}
