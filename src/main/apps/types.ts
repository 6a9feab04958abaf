/**
 * Finder apps (architecture.md §1.5): an app declares its options (a JSON schema with defaults, ranges and
 * help), how to build its command, which container image it may run in, and how to read its outputs into
 * the normalized catalogue. Adding a finder = one FinderApp registered in AppRegistry, nothing else.
 */
import type { JobProgress } from '../../shared/contract/jobs';
import type { Catalogue } from '../../shared/domain/source';

/** The JSON Schema subset our option forms and validator understand; defined once in the contract. */
export type { JobOptionSchema as OptionSchema, JobOptionsSchema as OptionsSchema } from '../../shared/contract/jobs';
import type { JobOptionsSchema as OptionsSchema } from '../../shared/contract/jobs';

/** Resolved (validated, defaults filled) option values. */
export type OptionValues = Record<string, unknown>;

/** Where the command will run, as the executing side sees it (the job's working directory is the cwd). */
export interface BuildContext {
  /** Input file names inside the job's working directory (the service stages them there). */
  inputs: string[];
  /** Output directory, relative to the working directory ('.' = the working directory itself). */
  outDir: string;
  /** CPU threads the job may use (the backend's thread limit); apps pass it to their own thread option. */
  threads: number;
  /** argv prefix of the `cirasa` command where the job runs (the builtin app); default this installation. */
  cirasaCommand?: string[];
}

/** A file the app needs in the working directory before it runs (config files, parameter lists). */
export interface JobFile {
  name: string;
  content: string;
}

export interface BuiltCommand {
  /** argv to run (cwd = working directory); or a complete `#!` script. */
  argv?: string[];
  script?: string;
  /** Files written into the working directory before submission. */
  files?: JobFile[];
  /** Output files (relative to the working directory) the app promises; readOutputs needs them. */
  outputs: string[];
}

/**
 * A distributed run: `part` runs once per Slurm array task (ARRAY_TASK_ID from src/main/jobs/script in its argv
 * stands for the task id 0..parts-1), then `merge` joins the parts into the app's normal outputs.
 */
export interface DistributedCommand {
  /** Run once before the parts (they wait for it), e.g. the background map every part reads. */
  prepare?: BuiltCommand;
  part: BuiltCommand;
  merge: BuiltCommand;
}

export interface ReadOutputsContext {
  /** Local path of the (first) input image: WCS and beam for formats that give only pixels. */
  image?: string;
  /** Catalogue name; default from the app and image. */
  name?: string;
}

export interface FinderApp {
  /** Stable id used by profiles, the CLI and the job table: 'builtin', 'sextractor', 'caesar', ... */
  readonly id: string;
  readonly title: string;
  readonly optionsSchema: OptionsSchema;
  /** OCI image the container backends run it in (absent: a native command on the executing host). */
  readonly containerImage?: string;
  /** Command for validated options (`validateOptions` first). Throws AppError('validation') for bad inputs. */
  buildCommand(options: OptionValues, ctx: BuildContext): BuiltCommand;
  /** Progress from the job's stderr so far, for apps that report it (undefined: nothing to tell yet). */
  parseProgress?(stderr: string): JobProgress | undefined;
  /** Apps that can cut an image into parts (a Slurm job array) and merge the part catalogues. */
  buildDistributed?(options: OptionValues, ctx: BuildContext, parts: number): DistributedCommand;
  /**
   * Read the app's outputs from a LOCAL directory (the fetched working directory) into the normalized catalogue.
   * Throws `jobs.outputsMissing` naming the expected file when it is not there, `catalogue.parseFailed` when broken.
   */
  readOutputs(outDir: string, options: OptionValues, ctx: ReadOutputsContext): Promise<Catalogue>;
}
