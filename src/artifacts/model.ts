/**
 * The side-file model: what the loader read from each artifact an environment uploads (requirements.txt,
 * plugins.zip, startup script). Rules judge this data and never touch the disk; every element keeps the
 * artifact's own absolute file path and 1-based line/column so findings point into the artifact.
 */

/** One physical position inside an artifact file. */
export interface ArtifactPosition {
  /** Absolute path of the artifact file. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Why a text artifact could not be read as text (binary, too large, not UTF-8). */
export interface UnreadableText {
  reason: 'too-large' | 'binary' | 'not-utf8' | 'io';
  detail: string;
}

/** A PEP 440 version specifier of a requirement (`>=2.0`, `==1.2.*`). */
export interface VersionSpecifier {
  operator: string;
  version: string;
  /** Column of the operator. */
  column: number;
}

/** A requirement line that parsed as PEP 508 (pip's requirement-specifier form). */
export interface RequirementEntry {
  kind: 'requirement';
  /** First physical line of the logical line (after joining `\` continuations). */
  line: number;
  column: number;
  /** The logical line as written (comment stripped). */
  text: string;
  name: string;
  /** PEP 503 normalized name: lower case, runs of `-_.` as `-`. */
  normalized: string;
  extras: string[];
  specifiers: VersionSpecifier[];
  /** `name @ url` direct reference. */
  url?: string;
  /** Environment marker source text (`python_version >= "3.8"`), when present. */
  marker?: string;
  /** Per-requirement options (`--hash=...`). */
  options: string[];
}

/** A pip option line (`--constraint URL`, `-c path`, `--no-index`, `--find-links DIR` ...). */
export interface OptionEntry {
  kind: 'option';
  line: number;
  column: number;
  text: string;
  /** The long option name without dashes: `constraint`, `requirement`, `find-links`, `no-index`, `index-url` ... */
  name: string;
  /** The option's argument, unquoted (`undefined` for flags). */
  value?: string;
  /** Column of the argument. */
  valueColumn?: number;
}

/** A path or wheel file named on its own line (`./wheels/x.whl`, `-e path`): pip installs it, but it is not PEP 508. */
export interface PathEntry {
  kind: 'path';
  line: number;
  column: number;
  text: string;
  /** True for `-e`/`--editable`. */
  editable: boolean;
}

/** A line that is neither a valid requirement nor a known pip option. */
export interface InvalidEntry {
  kind: 'invalid';
  line: number;
  column: number;
  text: string;
  /** What the parser expected (PEP 508 / pip option), in one sentence. */
  error: string;
}

export type RequirementsLine = RequirementEntry | OptionEntry | PathEntry | InvalidEntry;

/** A parsed requirements.txt. */
export interface RequirementsFile {
  file: string;
  /** SHA-256 of the bytes (cache key for resolution). */
  sha256: string;
  /** Present when the file is not readable as text; then `lines` is empty. */
  unreadable?: UnreadableText;
  /** Size in bytes. */
  size: number;
  /** Logical lines, comments and blank lines dropped. */
  lines: RequirementsLine[];
  /** Number of physical lines. */
  lineCount: number;
  /** Set by `validate --resolve` (src/artifacts/resolve.ts); rules report it. Absent otherwise. */
  resolution?: Resolution;
}

/** An entry of plugins.zip (central directory data only: nothing is extracted). */
export interface ZipEntry {
  /** Name as stored in the archive (may be hostile: `../x`, `/etc/x`). */
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix permission bits when the archive records them (made on Unix), else undefined. */
  mode?: number;
  size: number;
  compressedSize: number;
}

/** A wheel file found in plugins.zip, with its PEP 427 filename tags. */
export interface WheelEntry {
  /** Path inside the archive. */
  path: string;
  /** Distribution name, normalized (PEP 503). */
  name: string;
  version: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

export interface PluginsArchive {
  file: string;
  /** Size of the archive file in bytes. */
  size: number;
  sha256: string;
  /** Present when the archive could not be read (not a zip, truncated, too large to inspect). */
  unreadable?: { detail: string };
  entries: ZipEntry[];
  /** Sum of the entries' uncompressed sizes. */
  uncompressedSize: number;
  /** `.py` files (≤ 1 MB) that mention `AirflowPlugin`: custom Airflow plugins. */
  pluginModules: string[];
  /** Wheels (`.whl`) in the archive. */
  wheels: WheelEntry[];
  /** Entries with a name that is not a valid wheel filename although it ends in `.whl`. */
  badWheelNames: string[];
}

/** The result of a shell syntax check (`bash -n` / `sh -n`) on the startup script. */
export interface ShellSyntaxCheck {
  /** The shell that checked it, or undefined when none was available. */
  shell?: 'bash' | 'sh';
  /** Errors with their line (1-based) as the shell reported them. */
  errors: Array<{ line: number; message: string }>;
  /** Why the check did not run (no shell, CRLF made it meaningless ...). */
  skipped?: string;
}

export interface StartupScriptFile {
  file: string;
  size: number;
  sha256: string;
  unreadable?: UnreadableText;
  /** The text split into lines (without line terminators). */
  lines: string[];
  /** 1-based lines that end in CR LF (or a lone CR). */
  crlfLines: number[];
  /** The `#!` line, when the first line is one. */
  shebang?: string;
  syntax: ShellSyntaxCheck;
}

/** What the loader read for one environment (only the artifacts it names and that exist inside the repository). */
export interface ArtifactFiles {
  requirements?: RequirementsFile;
  plugins?: PluginsArchive;
  startupScript?: StartupScriptFile;
}

/** One problem the resolver found, located at a requirements line when it can be attributed. */
export interface ResolutionProblem {
  kind: 'conflict' | 'no-wheel' | 'not-found' | 'error';
  /** 1-based line in the requirements file (the line that asks for the package), when known. */
  line?: number;
  package?: string;
  message: string;
}

/** The outcome of `pip install --dry-run --report` for one requirements file (see src/artifacts/resolve.ts). */
export interface Resolution {
  status: 'ok' | 'failed' | 'skipped';
  /** Cache key: SHA-256 over requirements, constraints, Python, platform, pip version. */
  key: string;
  /** True when the result came from the cache (no pip run). */
  cached: boolean;
  python: string;
  airflowVersion: string;
  /** The constraints the resolution used (URL or path as written, or the substitute). */
  constraints: string[];
  /** When the file's constraint line names another Airflow/Python, the resolver used the environment's own instead. */
  substitutedConstraint?: { line: number; written: string; used: string };
  /** Packages pip would install (ok only). */
  installCount?: number;
  problems: ResolutionProblem[];
  /** Why the resolution did not run (skipped only). */
  reason?: string;
  /** Skipped because something was unreachable (index, constraints download): a warning, not a design limit. */
  unavailable?: boolean;
}
