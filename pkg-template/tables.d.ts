// workbridge/tables: the operation tables in full, with docs and rules (Node only).

/** One parameter, as the CLI's help and the docs describe it. */
export interface TableParam {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'time' | 'string[]' | 'json';
  /** The rule in words (`one of plain, text`, `1 to 40 characters`), or `''`. */
  rule: string;
  /** The allowed values of a one-of, or null. */
  values: Array<string | number> | null;
  required: boolean;
  doc: string;
}

/** One operation, with its doc. */
export interface TableOperation {
  name: string;
  kind: 'read' | 'write';
  /** Whether the client's method takes the params as positional arguments. */
  positional: boolean;
  doc: string;
  params: TableParam[];
}

/** The package's tables (`pkgDir`: those of another built package instead). */
export function loadTables(pkgDir?: string): Record<'cam' | 'yunzhijia' | 'xuanxuan' | 'ytx', TableOperation[]>;
