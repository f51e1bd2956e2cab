/** A versioned schema change. Versions are applied in ascending order, each in its own transaction, once. */
export interface Migration {
  /** 1, 2, 3, ...: the file prefix (0001_audit.ts). Never renumber or edit an applied migration; add a new one. */
  readonly version: number;
  readonly name: string;
  /** Statements run in order for each dialect. */
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}
