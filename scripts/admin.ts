/**
 * `npm run admin -- <command>`: headless administration (first account, projects, CI tokens) through
 * the same validation and services as the web app, acting as the SYSTEM actor "admin-cli".
 *
 * Output contract: a command's result goes to stdout (for create-token, only the token, so
 * `TOKEN=$(npm run -s admin -- create-token ...)` works); progress and errors go to stderr.
 * Exit codes: 0 done, 1 refused or failed (bad configuration, database, conflict, not found),
 * 2 bad command line (unknown command or flag, missing flag, invalid value).
 *
 * Database: DATABASE_URL when set; otherwise the embedded PostgreSQL of TALLY_HOME, reused when
 * `npm start` is running it, else started for this command and stopped before exiting.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { EnvError, parseEnv } from "../lib/env";
import { AppError } from "../lib/errors";
import { ROLES, TOKEN_SCOPES } from "../lib/rbac";
import { emailSchema, signUpInput } from "../lib/schemas/accounts";
import { addMemberInput, createProjectInput, createTokenInput, slugSchema, TOKEN_MAX_DAYS } from "../lib/schemas/projects";
import type { RunningPostgres } from "../server/runtime/embedded-postgres";
import type { SystemActor } from "../server/services/access";

// stdout carries results only (a token captured by a shell); any library that logs must not add to it.
console.log = console.error;
console.info = console.error;

const root = path.resolve(import.meta.dirname, "..");
const actor: SystemActor = { type: "SYSTEM", label: "admin-cli" };

/**
 * The command line is wrong: exit code 2. Unknown or missing flags show the command's usage, an
 * unknown command the general one; a bad value gets its one-line message only.
 */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usageOf?: CommandSpec | "general",
  ) {
    super(message);
  }
}

type FlagValues = Record<string, string | boolean | undefined>;

interface FlagSpec {
  type: "string" | "boolean";
  required?: boolean;
  /** Placeholder shown in the usage text. */
  value?: string;
  help: string;
}

interface CommandSpec {
  name: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  /** One required argument after the command name (the archive `restore` reads). */
  argument?: { value: string; help: string };
  /**
   * Whether pending migrations are applied before the work (default). `restore` creates the schema
   * itself, at the backup's version, and upgrades it after loading the data.
   */
  migrate?: boolean;
  /** Validates the flags (throws UsageError) and returns the work to do against the database. */
  prepare(values: FlagValues, argument?: string): () => Promise<void>;
}

/** The DB-touching modules load only once the command line is valid, so --help and typos are instant. */
let servicesLoaded = false;
async function loadServices() {
  servicesLoaded = true;
  return {
    ...(await import("../server/services/users")),
    ...(await import("../server/services/projects")),
    ...(await import("../server/services/api-tokens")),
    ...(await import("../server/services/access")),
    ...(await import("../server/services/members")),
    ...(await import("../server/services/registry")),
  };
}

/** zod validation, reported against the flag names the user typed. */
function validate<S extends z.ZodType>(schema: S, raw: unknown, flagOf: Record<string, string>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    return `${flagOf[key] ?? key}: ${issue.message}`;
  });
  throw new UsageError([...new Set(problems)].join("; "));
}

const str = (values: FlagValues, name: string) => values[name] as string | undefined;

/** The instance this command works on, with TALLY_HOME resolved as scripts/start.ts resolves it. */
async function instanceFiles() {
  const { instanceFilesOf } = await import("../server/ops/backup");
  const env = parseEnv(process.env);
  return instanceFilesOf({ ...env, TALLY_HOME: path.resolve(root, env.TALLY_HOME) });
}

const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const progress = (line: string) => void process.stderr.write(`${line}\n`);

const LEDGER_PROBLEMS = {
  "content-changed": "its content was changed after it was written.",
  "link-broken": "it does not follow the row before it (a row was deleted, inserted or reordered).",
  unsealed: "it carries no digest (written around the ledger).",
} as const;

const commands: CommandSpec[] = [
  {
    name: "create-user",
    summary: "Create an account. The very first account is always the instance admin.",
    flags: {
      email: { type: "string", required: true, value: "E", help: "Email address (the sign-in name)" },
      password: { type: "string", required: true, value: "P", help: "Password, at least 10 characters" },
      name: { type: "string", value: "N", help: "Display name" },
      admin: { type: "boolean", help: "Make the account an instance admin" },
    },
    prepare(values) {
      const input = validate(
        signUpInput.pick({ email: true, password: true, name: true }),
        { email: str(values, "email"), password: str(values, "password"), name: str(values, "name") },
        { email: "--email", password: "--password", name: "--name" },
      );
      return async () => {
        const { createUser } = await loadServices();
        const user = await createUser(actor, { ...input, isAdmin: values.admin === true });
        // createUser makes the very first account an admin whatever was asked; say why.
        const admin = values.admin === true ? " (instance admin)" : " (instance admin: the first account)";
        await out(`Created account ${user.email}${user.isAdmin ? admin : ""}.`);
      };
    },
  },
  {
    name: "create-project",
    summary: "Create a project owned by an existing account.",
    flags: {
      slug: { type: "string", required: true, value: "S", help: "URL name: lowercase letters, digits, dashes" },
      name: { type: "string", required: true, value: "N", help: "Display name" },
      owner: { type: "string", required: true, value: "E", help: "Email of the account that becomes its owner" },
    },
    prepare(values) {
      const input = validate(
        createProjectInput.extend({ ownerEmail: emailSchema }),
        { slug: str(values, "slug"), name: str(values, "name"), ownerEmail: str(values, "owner") },
        { slug: "--slug", name: "--name", ownerEmail: "--owner" },
      );
      return async () => {
        const { createProject } = await loadServices();
        const project = await createProject(actor, input);
        await out(`Created project "${project.slug}" (${project.name}), owned by ${input.ownerEmail}.`);
      };
    },
  },
  {
    name: "add-member",
    summary: "Give an existing account a role in a project (or change the role it has).",
    flags: {
      project: { type: "string", required: true, value: "S", help: "Project slug" },
      email: { type: "string", required: true, value: "E", help: "Email of the account" },
      role: { type: "string", required: true, value: "R", help: `One of ${ROLES.join(", ")}` },
    },
    prepare(values) {
      const input = validate(
        addMemberInput,
        { projectSlug: str(values, "project"), email: str(values, "email"), role: str(values, "role")?.toUpperCase() },
        { projectSlug: "--project", email: "--email", role: "--role" },
      );
      return async () => {
        const { resolveProjectAccess, addMember } = await loadServices();
        const access = await resolveProjectAccess(actor, input.projectSlug);
        const member = await addMember(access, input.email, input.role);
        await out(`${member.email} is now ${member.role} of project "${access.project.slug}".`);
      };
    },
  },
  {
    name: "verify-email",
    summary: "Mark an account's email as verified (after you checked it), so single sign-on may enter it.",
    flags: {
      email: { type: "string", required: true, value: "E", help: "Email of the account" },
    },
    prepare(values) {
      const email = validate(emailSchema, str(values, "email"), { "": "--email" });
      return async () => {
        const { verifyEmail } = await loadServices();
        const user = await verifyEmail(actor, email);
        await out(`The email of ${user.email} is verified.`);
      };
    },
  },
  {
    name: "create-token",
    summary: "Create a project API token; prints only the token on stdout (it is shown once).",
    flags: {
      project: { type: "string", required: true, value: "S", help: "Project slug" },
      name: { type: "string", required: true, value: "N", help: "Token name (e.g. the cluster or CI job)" },
      scopes: {
        type: "string",
        required: true,
        value: "read,write",
        help: `Comma-separated: ${TOKEN_SCOPES.join(", ")}`,
      },
      "expires-days": { type: "string", value: "D", help: `Expire after D days (1-${TOKEN_MAX_DAYS}; default: never)` },
    },
    prepare(values) {
      const scopes = (str(values, "scopes") ?? "")
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean);
      const unknown = scopes.filter((scope) => !(TOKEN_SCOPES as readonly string[]).includes(scope));
      if (unknown.length) {
        throw new UsageError(
          `--scopes: unknown scope ${unknown.map((s) => `"${s}"`).join(", ")} (choose from ${TOKEN_SCOPES.join(", ")})`,
        );
      }
      const days = str(values, "expires-days");
      if (days !== undefined && !(/^\d+$/.test(days.trim()) && Number(days) >= 1 && Number(days) <= TOKEN_MAX_DAYS)) {
        throw new UsageError(`--expires-days: must be a whole number of days (1-${TOKEN_MAX_DAYS})`);
      }
      const input = validate(
        createTokenInput,
        {
          projectSlug: str(values, "project"),
          name: str(values, "name"),
          scopes,
          expiresInDays: days === undefined ? undefined : Number(days),
        },
        { projectSlug: "--project", name: "--name", scopes: "--scopes", expiresInDays: "--expires-days" },
      );
      return async () => {
        const { resolveProjectAccess, createToken } = await loadServices();
        const access = await resolveProjectAccess(actor, input.projectSlug);
        const { token, plaintext } = await createToken(access, input);
        const expiry = token.expiresAt ? `, expires ${token.expiresAt.toISOString()}` : "";
        process.stderr.write(
          `Created token "${token.name}" (${token.id}) for project "${access.project.slug}" with scopes ` +
            `${token.scopes.join(",")}${expiry}. It is shown only once: store it now.\n`,
        );
        await out(plaintext);
      };
    },
  },
  {
    name: "verify-ledger",
    summary: "Recompute a project's registry ledger (the hash chain of its model history); exit 1 if broken.",
    flags: {
      project: { type: "string", required: true, value: "S", help: "Project slug" },
      "expect-head": { type: "string", value: "H", help: "A head digest printed earlier: check it is still in the chain" },
    },
    prepare(values) {
      const slug = validate(slugSchema, str(values, "project"), { "": "--project" });
      const expectHead = str(values, "expect-head");
      if (expectHead !== undefined && !/^[0-9a-f]{64}$/i.test(expectHead.trim())) {
        throw new UsageError("--expect-head: must be a SHA-256 digest (64 hex digits)");
      }
      return async () => {
        const { resolveProjectAccess, verifyLedger } = await loadServices();
        const access = await resolveProjectAccess(actor, slug);
        const result = await verifyLedger(access, { expectHead });
        const broken = result.firstBroken;
        if (broken) {
          const where = `${broken.kind}, model ${broken.modelName}${broken.version === null ? "" : ` v${broken.version}`}, ${broken.createdAt.toISOString()}`;
          throw new Error(`Ledger of project "${slug}" is broken at row ${broken.id} (${where}): ${LEDGER_PROBLEMS[broken.problem]}`);
        }
        if (result.expectedHeadFound === false) {
          throw new Error(`Ledger of project "${slug}": the head ${expectHead} is no longer in the chain: history after it was removed.`);
        }
        await out(`Ledger of project "${slug}" is intact: ${result.rows} row(s). Head: ${result.head ?? "(empty)"}`);
      };
    },
  },
  {
    name: "backup",
    summary: "Write one archive (.tar.gz) of the database and the artifacts; Tally keeps running meanwhile.",
    flags: {
      out: { type: "string", required: true, value: "FILE", help: "The archive to write (a new file), e.g. tally-$(date +%F).tar.gz" },
    },
    prepare(values) {
      const file = str(values, "out")?.trim();
      if (!file) throw new UsageError("--out: must name the archive to write");
      return async () => {
        const { createBackup } = await import("../server/ops/backup");
        const summary = await createBackup({
          databaseUrl: process.env.DATABASE_URL!,
          instance: await instanceFiles(),
          out: file,
          tallyVersion: tallyVersion(),
          progress,
        });
        const artifacts =
          summary.artifacts.store === "filesystem"
            ? `${summary.artifacts.files} artifact file(s) (${mebibytes(summary.artifacts.bytes)})`
            : `an inventory of ${summary.artifacts.files} object(s) in the S3 bucket (back the bucket up with its own tools)`;
        await out(
          `Wrote ${summary.file} (${mebibytes(summary.bytes)}) in ${summary.seconds.toFixed(1)} s: ` +
            `${summary.rows} rows from ${summary.tables} tables, ${artifacts}.`,
        );
      };
    },
  },
  {
    name: "restore",
    summary: "Restore an archive written by `backup` into an empty instance (empty database and TALLY_HOME).",
    argument: { value: "FILE", help: "The archive written by `npm run admin -- backup`" },
    flags: {},
    migrate: false,
    prepare(_values, file) {
      return async () => {
        const { restoreBackup } = await import("../server/ops/backup");
        const summary = await restoreBackup({
          databaseUrl: process.env.DATABASE_URL!,
          instance: await instanceFiles(),
          file: file!,
          progress,
        });
        const artifacts =
          summary.artifacts.store === "filesystem"
            ? `${summary.artifacts.files} artifact file(s) (${mebibytes(summary.artifacts.bytes)})`
            : `${summary.artifacts.files} object(s) checked against the S3 bucket`;
        const upgraded = summary.upgradedWith.length ? `, then applied ${summary.upgradedWith.length} newer migration(s)` : "";
        await out(
          `Restored the backup of ${summary.createdAt} in ${summary.seconds.toFixed(1)} s: ${summary.rows} rows into ` +
            `${summary.tables} tables, ${artifacts}${upgraded}.`,
        );
        for (const note of summary.notes) await out(`Note: ${note}`);
      };
    },
  },
];

/** The version in package.json, recorded in each backup. */
function tallyVersion(): string {
  return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
}

function usage(command?: CommandSpec): string {
  const flagLine = (spec: CommandSpec) =>
    [
      ...(spec.argument ? [`<${spec.argument.value}>`] : []),
      ...Object.entries(spec.flags).map(([name, flag]) => {
        const text = `--${name}${flag.type === "string" ? ` ${flag.value ?? "V"}` : ""}`;
        return flag.required ? text : `[${text}]`;
      }),
    ].join(" ");
  if (command) {
    const flags = Object.entries(command.flags).map(([name, flag]) => {
      const left = `--${name}${flag.type === "string" ? ` ${flag.value ?? "V"}` : ""}`;
      return `  ${left.padEnd(22)} ${flag.help}${flag.required ? "" : " (optional)"}`;
    });
    const argument = command.argument ? [`  ${`<${command.argument.value}>`.padEnd(22)} ${command.argument.help}`] : [];
    return [
      `Usage: npm run admin -- ${command.name} ${flagLine(command)}`,
      "",
      command.summary,
      "",
      ...argument,
      ...flags,
      `  ${"-h, --help".padEnd(22)} Show this help`,
    ].join("\n");
  }
  return [
    "Usage: npm run admin -- <command> [flags]",
    "",
    "Commands:",
    ...commands.flatMap((spec) => [`  ${spec.name} ${flagLine(spec)}`, `      ${spec.summary}`]),
    "",
    "Run `npm run admin -- <command> --help` for a command's flags.",
    "Database: DATABASE_URL, or the embedded PostgreSQL in TALLY_HOME (the running one if `npm start`",
    "is up, otherwise started for the command and stopped afterwards). Migrations are applied first",
    "(by restore: those of the backup, before its data; newer ones after).",
    "Exit codes: 0 done, 1 refused or failed, 2 bad command line.",
  ].join("\n");
}

/** Turns node:util's parse errors into short messages naming the flag. */
function parseFlags(spec: CommandSpec, args: string[]): { values: FlagValues & { help?: boolean }; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, flag]) => [name, { type: flag.type }]));
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: spec.argument !== undefined,
    });
    return { values: parsed.values as FlagValues & { help?: boolean }, positionals: parsed.positionals };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const quoted = /'([^' ]+)/.exec(message)?.[1] ?? "";
    const flag = quoted.replace(/ <value>$/, "");
    const reason =
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown flag ${flag}`
        : code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
          ? `unexpected argument "${quoted}"`
          : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
            ? spec.flags[flag.replace(/^--/, "")]?.type === "boolean"
              ? `${flag} does not take a value`
              : `${flag} needs a value (write ${flag}=-x for a value starting with a dash)`
            : message.split("\n")[0]!;
    throw new UsageError(`${spec.name}: ${reason}`, spec);
  }
}

async function out(line: string): Promise<void> {
  await new Promise<void>((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
}

function printError(message: string): void {
  process.stderr.write(`error: ${message}\n`);
}

/** Prisma and pg errors can span several lines; the last non-empty one says what went wrong. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.at(-1) ?? "unknown error";
}

/** Kept as a promise so that an interrupt during start-up still stops the server once it is up. */
let postgresStart: Promise<RunningPostgres> | undefined;
let cleanedUp: Promise<void> | undefined;

/** Always runs before exit: close the Prisma pool, then stop PostgreSQL if this process started it. */
function cleanup(): Promise<void> {
  cleanedUp ??= (async () => {
    if (servicesLoaded) {
      const { disconnectDb } = await import("../server/db/client");
      await disconnectDb().catch(() => undefined);
    }
    const postgres = await postgresStart?.catch(() => undefined);
    if (postgres?.owned) {
      await postgres
        .stop()
        .catch((error: unknown) => printError(`stopping the embedded PostgreSQL: ${oneLine(error)}`));
    }
  })();
  return cleanedUp;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === undefined) {
      printError("no command given");
      process.stderr.write(`\n${usage()}\n`);
      return 2;
    }
    await out(usage());
    return 0;
  }
  const command = commands.find((spec) => spec.name === name);

  let work: () => Promise<void>;
  try {
    if (!command) {
      const problem = name.startsWith("-") ? `expected a command before ${name}` : `unknown command "${name}"`;
      throw new UsageError(problem, "general");
    }
    const { values, positionals } = parseFlags(command, rest);
    if (values.help) {
      await out(usage(command));
      return 0;
    }
    const missing = Object.entries(command.flags)
      .filter(([flag, spec]) => spec.required && values[flag] === undefined)
      .map(([flag]) => `--${flag}`);
    if (command.argument && positionals.length === 0) missing.unshift(`<${command.argument.value}>`);
    if (missing.length) throw new UsageError(`${command.name}: missing ${missing.join(", ")}`, command);
    if (positionals.length > 1) throw new UsageError(`${command.name}: unexpected argument "${positionals[1]}"`, command);
    work = command.prepare(values, positionals[0]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printError(error.message);
    if (error.usageOf) {
      process.stderr.write(`\n${usage(error.usageOf === "general" ? undefined : error.usageOf)}\n`);
    }
    return 2;
  }

  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    printError(error.message);
    return 1;
  }

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      // Same TALLY_HOME resolution as scripts/start.ts, so both find the same data directory.
      const home = path.resolve(root, env.TALLY_HOME);
      mkdirSync(home, { recursive: true });
      const { ensureEmbeddedPostgres } = await import("../server/runtime/embedded-postgres");
      const log: string[] = [];
      let postgres: RunningPostgres;
      try {
        postgresStart = ensureEmbeddedPostgres({
          home,
          preferredPort: env.TALLY_PG_PORT,
          log: (line) => void log.push(line),
        });
        postgres = await postgresStart;
      } catch (error) {
        const detail = log.filter((line) => /error|fatal/i.test(line)).at(-1);
        throw new Error(`The embedded PostgreSQL did not start: ${oneLine(error)}${detail ? ` (${detail})` : ""}`);
      }
      process.stderr.write(
        postgres.owned
          ? `Started the embedded PostgreSQL (data in ${path.join(home, "pg")}); it stops when this command ends.\n`
          : `Using the running embedded PostgreSQL on port ${postgres.port}.\n`,
      );
      databaseUrl = postgres.url;
    }
    if (command.migrate !== false) {
      const { applyMigrations } = await import("../server/db/migrate");
      const applied = await applyMigrations(databaseUrl).catch((error: unknown) => {
        throw new Error(`Database not ready: ${oneLine(error)}`);
      });
      if (applied.length) process.stderr.write(`Applied ${applied.length} database migration(s).\n`);
    }
    // The Prisma client reads DATABASE_URL when it is first used.
    process.env.DATABASE_URL = databaseUrl;
    await work();
    return 0;
  } catch (error) {
    printError(error instanceof AppError ? error.message : oneLine(error));
    return 1;
  } finally {
    await cleanup();
  }
}

let interrupted = false;
/** First Ctrl-C: clean up (waiting for a PostgreSQL that is still starting, at most 20 s). Second: leave now. */
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) process.exit(130);
  interrupted = true;
  printError(`interrupted (${signal}); cleaning up`);
  const deadline = new Promise((resolve) => setTimeout(resolve, 20_000).unref());
  void Promise.race([cleanup(), deadline]).finally(() => process.exit(130));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await main(process.argv.slice(2)).catch((error: unknown) => {
  printError(oneLine(error));
  return 1;
});
await cleanup();
// Exit explicitly: nothing (a pool timer, a stopped server's pipes) may keep the process alive.
process.exit(code);
