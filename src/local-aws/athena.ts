/**
 * A local Athena: StartQueryExecution, GetQueryExecution, GetQueryResults and
 * StopQueryExecution over the real AWS JSON 1.1 protocol (`X-Amz-Target: AmazonAthena.<Op>`,
 * SigV4 for the service `athena`), executing the query on DuckDB over local Parquet files laid
 * out as a CUR 2.0 export (`DIR/data/BILLING_PERIOD=YYYY-MM/*.parquet`), each registered as a
 * Glue-like table `database.table` partitioned by `billing_period`.
 *
 * What it shows about the client: the query lifecycle (QUEUED, RUNNING, SUCCEEDED, FAILED,
 * CANCELLED with StateChangeReason and AthenaError), result paging (MaxResults up to 1,000,
 * NextToken, the header row first on the first page, ColumnInfo types, NULL as a Datum without
 * VarCharValue), Statistics.DataScannedInBytes, and faults. What it does not show: that Trino
 * accepts the SQL. The Trino text is run on DuckDB after one translation, the only one the CUR
 * query needs (`trinoToDuckDb`): `element_at(map, key)`, NULL on a missing key in Trino, becomes
 * DuckDB's `map_extract_value(map, key)` (DuckDB's own `element_at` returns a list).
 *
 * DataScannedInBytes is computed the way Athena bills a columnar scan: the compressed size of
 * the column chunks of the columns the query names, in the partitions its `billing_period IN
 * (...)` filter names (every partition when there is no such filter).
 */
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";

import { identifier, stringLiteral } from "../reconciler/cur/dialect";
import { DATA_FOLDER, PARTITION_PREFIX } from "../reconciler/cur/export-folder";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export const ATHENA_TARGET_PREFIX = "AmazonAthena.";
const JSON_11 = "application/x-amz-json-1.1";
const MAX_RESULTS = 1_000;

/** A fault for one query (by StartQueryExecution number, 1-based). */
export type AthenaQueryFault =
  /** The query FAILED with this reason (as Athena reports a Trino error). */
  | { readonly kind: "fail"; readonly reason: string }
  /** The query stays QUEUED for one poll, then RUNNING until poll `polls`, then completes. */
  | { readonly kind: "slow"; readonly polls: number }
  /** The query is CANCELLED (someone stopped it). */
  | { readonly kind: "cancel"; readonly reason?: string };

/** A fault for one API request (by request number to this handler, 1-based). */
export type AthenaRequestFault =
  | { readonly kind: "throttling" }
  | { readonly kind: "too-many-requests" }
  | { readonly kind: "server-error" };

export interface AthenaTable {
  readonly database: string;
  readonly table: string;
  /** The export folder: holds `data/BILLING_PERIOD=YYYY-MM/*.parquet`. */
  readonly dir: string;
}

export interface AthenaHandlerOptions {
  readonly tables: readonly AthenaTable[];
  readonly queryFaults?: Readonly<Record<number, AthenaQueryFault>>;
  readonly requestFaults?: Readonly<Record<number, AthenaRequestFault>>;
  /** The workgroup's per-query data usage control: a query scanning more is CANCELLED. */
  readonly bytesScannedCutoffPerQuery?: number;
  /** Workgroups that exist (default: just "primary"). */
  readonly workGroups?: readonly string[];
}

type State = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

interface Execution {
  readonly id: string;
  readonly query: string;
  readonly workGroup: string;
  readonly database: string | undefined;
  readonly outputLocation: string | undefined;
  readonly submitted: number;
  readonly fault: AthenaQueryFault | undefined;
  polls: number;
  /** Settles when DuckDB has finished (successfully or not). */
  done?: Promise<void>;
  outcome?:
    | {
        kind: "rows";
        columns: { name: string; type: string }[];
        rows: (string | null)[][];
        bytes: number;
      }
    | { kind: "error"; message: string };
  completed?: number;
  stopped?: boolean;
}

/**
 * The Athena handler for `startLocalAws`, and `close()` to release its DuckDB.
 *
 * @example
 * const athena = await athenaHandler({ tables: [{ database: "cur", table: "cur2", dir }] });
 * const aws = await startLocalAws([athena.handler]);
 */
export async function athenaHandler(
  options: AthenaHandlerOptions,
): Promise<{ handler: ServiceHandler; close: () => void; executions: () => readonly Execution[] }> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const table of options.tables) {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${identifier(table.database)}`);
    const glob = join(table.dir, DATA_FOLDER, `${PARTITION_PREFIX}*`, "*.parquet");
    await connection.run(
      `CREATE VIEW ${identifier(table.database)}.${identifier(table.table)} AS SELECT * FROM read_parquet(${stringLiteral(glob)}, hive_partitioning = true, hive_types = {'BILLING_PERIOD': VARCHAR})`,
    );
  }
  const workGroups = new Set(options.workGroups ?? ["primary"]);
  const executions = new Map<string, Execution>();
  let requestNumber = 0;
  let queryNumber = 0;

  function start(input: Record<string, unknown>): LocalResponse {
    const query = input["QueryString"];
    if (typeof query !== "string" || query.trim() === "") {
      throw new AthenaFault("InvalidRequestException", "QueryString is required");
    }
    const workGroup = typeof input["WorkGroup"] === "string" ? input["WorkGroup"] : "primary";
    if (!workGroups.has(workGroup)) {
      throw new AthenaFault("InvalidRequestException", `WorkGroup ${workGroup} is not found.`);
    }
    const context = (input["QueryExecutionContext"] ?? {}) as Record<string, unknown>;
    const result = (input["ResultConfiguration"] ?? {}) as Record<string, unknown>;
    queryNumber += 1;
    const id = randomUUID();
    const execution: Execution = {
      id,
      query,
      workGroup,
      database: typeof context["Database"] === "string" ? context["Database"] : undefined,
      outputLocation:
        typeof result["OutputLocation"] === "string" ? result["OutputLocation"] : undefined,
      submitted: Date.now(),
      fault: options.queryFaults?.[queryNumber],
      polls: 0,
    };
    execution.done = execute(instance, options, execution);
    executions.set(id, execution);
    return json(200, { QueryExecutionId: id });
  }

  function find(input: Record<string, unknown>): Execution {
    const id = input["QueryExecutionId"];
    const execution = typeof id === "string" ? executions.get(id) : undefined;
    if (execution === undefined) {
      throw new AthenaFault(
        "InvalidRequestException",
        `QueryExecution ${String(id)} was not found`,
      );
    }
    return execution;
  }

  async function get(input: Record<string, unknown>): Promise<LocalResponse> {
    const execution = find(input);
    execution.polls += 1;
    const state = await stateOf(execution);
    return json(200, { QueryExecution: describe(execution, state) });
  }

  async function results(input: Record<string, unknown>): Promise<LocalResponse> {
    const execution = find(input);
    const state = await stateOf(execution, false);
    if (state.state !== "SUCCEEDED" || execution.outcome?.kind !== "rows") {
      throw new AthenaFault(
        "InvalidRequestException",
        state.state === "FAILED" || state.state === "CANCELLED"
          ? `Query did not finish successfully. Final query state: ${state.state}`
          : `Query has not yet finished. Current state: ${state.state}`,
      );
    }
    const maxResults = input["MaxResults"] ?? MAX_RESULTS;
    if (
      typeof maxResults !== "number" ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > MAX_RESULTS
    ) {
      throw new AthenaFault(
        "InvalidRequestException",
        `MaxResults must be between 1 and ${MAX_RESULTS}`,
      );
    }
    const { columns, rows } = execution.outcome;
    // Row 0 is the header: the first page carries it, so the first page has one data row fewer.
    const all = rows.length + 1;
    const token = input["NextToken"];
    const offset = token === undefined ? 0 : readToken(token, execution.id);
    const end = Math.min(all, offset + maxResults);
    const page: { Data: { VarCharValue?: string }[] }[] = [];
    for (let i = offset; i < end; i++) {
      const cells = i === 0 ? columns.map((c) => c.name) : rows[i - 1]!;
      page.push({ Data: cells.map((cell) => (cell === null ? {} : { VarCharValue: cell })) });
    }
    return json(200, {
      UpdateCount: 0,
      ResultSet: {
        Rows: page,
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({
            CatalogName: "hive",
            SchemaName: "",
            TableName: "",
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: 0,
            Scale: 0,
            Nullable: "UNKNOWN",
            CaseSensitive: c.type === "varchar",
          })),
        },
      },
      ...(end < all ? { NextToken: writeToken(end, execution.id) } : {}),
    });
  }

  function stop(input: Record<string, unknown>): LocalResponse {
    const execution = find(input);
    execution.stopped = true;
    return json(200, {});
  }

  /** The state a poll sees, after the fault's scripted polls. */
  async function stateOf(
    execution: Execution,
    counting = true,
  ): Promise<{ state: State; reason?: string }> {
    const fault = execution.fault;
    if (execution.stopped) return { state: "CANCELLED", reason: "Query was cancelled by the user" };
    if (fault?.kind === "slow" && execution.polls < fault.polls) {
      return { state: counting && execution.polls <= 1 ? "QUEUED" : "RUNNING" };
    }
    await execution.done;
    if (fault?.kind === "fail") return { state: "FAILED", reason: fault.reason };
    if (fault?.kind === "cancel")
      return { state: "CANCELLED", reason: fault.reason ?? "Query was cancelled by the user" };
    const outcome = execution.outcome!;
    if (outcome.kind === "error") return { state: "FAILED", reason: outcome.message };
    if (
      options.bytesScannedCutoffPerQuery !== undefined &&
      outcome.bytes > options.bytesScannedCutoffPerQuery
    ) {
      return {
        state: "CANCELLED",
        reason: `Query cancelled: the bytes scanned limit for workgroup ${execution.workGroup} (${options.bytesScannedCutoffPerQuery} bytes) was exceeded`,
      };
    }
    return { state: "SUCCEEDED" };
  }

  function describe(execution: Execution, status: { state: State; reason?: string }): unknown {
    const final =
      status.state === "SUCCEEDED" || status.state === "FAILED" || status.state === "CANCELLED";
    if (final) execution.completed ??= Date.now();
    const bytes =
      execution.outcome?.kind === "rows" && status.state !== "FAILED" ? execution.outcome.bytes : 0;
    const elapsed = (execution.completed ?? Date.now()) - execution.submitted;
    return {
      QueryExecutionId: execution.id,
      Query: execution.query,
      StatementType: "DML",
      ResultConfiguration:
        execution.outputLocation === undefined
          ? {}
          : {
              OutputLocation: `${execution.outputLocation.replace(/\/$/, "")}/${execution.id}.csv`,
            },
      QueryExecutionContext:
        execution.database === undefined
          ? {}
          : { Database: execution.database, Catalog: "AwsDataCatalog" },
      Status: {
        State: status.state,
        ...(status.reason === undefined ? {} : { StateChangeReason: status.reason }),
        SubmissionDateTime: execution.submitted / 1000,
        ...(final ? { CompletionDateTime: execution.completed! / 1000 } : {}),
        ...(status.state === "FAILED"
          ? {
              AthenaError: {
                ErrorCategory: 2,
                ErrorType: 1006,
                Retryable: false,
                ErrorMessage: status.reason,
              },
            }
          : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: elapsed,
        DataScannedInBytes: final ? bytes : 0,
        TotalExecutionTimeInMillis: elapsed,
        QueryQueueTimeInMillis: 0,
        ServicePreProcessingTimeInMillis: 0,
        QueryPlanningTimeInMillis: 0,
        ServiceProcessingTimeInMillis: 0,
      },
      WorkGroup: execution.workGroup,
      EngineVersion: {
        SelectedEngineVersion: "AUTO",
        EffectiveEngineVersion: "Athena engine version 3",
      },
    };
  }

  const handler: ServiceHandler = async (request: LocalRequest) => {
    const target = request.headers["x-amz-target"];
    if (target === undefined || !target.startsWith(ATHENA_TARGET_PREFIX)) return undefined;
    requestNumber += 1;
    try {
      checkEnvelope(request);
      const fault = options.requestFaults?.[requestNumber];
      if (fault !== undefined) return faultResponse(fault);
      const input = parseBody(request.body);
      switch (target.slice(ATHENA_TARGET_PREFIX.length)) {
        case "StartQueryExecution":
          return start(input);
        case "GetQueryExecution":
          return await get(input);
        case "GetQueryResults":
          return await results(input);
        case "StopQueryExecution":
          return stop(input);
        default:
          throw new AthenaFault(
            "UnknownOperationException",
            `local endpoint: Athena operation ${target.slice(ATHENA_TARGET_PREFIX.length)} is not served`,
          );
      }
    } catch (error) {
      if (error instanceof AthenaFault)
        return json(error.status, { __type: error.type, Message: error.message });
      throw error;
    }
  };

  return {
    handler,
    executions: () => [...executions.values()],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * The Trino SQL of the CUR query as DuckDB runs it. One translation, the one the query needs:
 * Trino's `element_at(map, key)` (NULL on a missing key) is DuckDB's `map_extract_value(map, key)`.
 * Anything else is run as written, so Trino-only syntax fails here as it would on a real
 * mismatch, rather than being quietly rewritten.
 */
export function trinoToDuckDb(sql: string): string {
  return sql.replace(/\belement_at\(/g, "map_extract_value(");
}

async function execute(
  instance: DuckDBInstance,
  options: AthenaHandlerOptions,
  execution: Execution,
): Promise<void> {
  // Faults that decide the outcome do not need DuckDB; a slow query still runs it.
  if (execution.fault?.kind === "fail" || execution.fault?.kind === "cancel") {
    execution.outcome = { kind: "error", message: execution.fault.kind };
    return;
  }
  // A connection per query: queries run concurrently, as on Athena.
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(trinoToDuckDb(execution.query));
    const columns = reader
      .columnNames()
      .map((name, i) => ({ name, type: athenaType(reader.columnTypes()[i]!.toString()) }));
    const rows = reader
      .getRows()
      .map((row) => row.map((value) => (value === null ? null : String(value))));
    execution.outcome = {
      kind: "rows",
      columns,
      rows,
      bytes: await scannedBytes(connection, options, execution.query),
    };
  } catch (error) {
    execution.outcome = {
      kind: "error",
      message: error instanceof Error ? error.message.split("\n")[0]! : String(error),
    };
  } finally {
    connection.closeSync();
  }
}

/** DuckDB's result type as Athena names it in ColumnInfo.Type. */
function athenaType(duckdb: string): string {
  if (duckdb === "VARCHAR") return "varchar";
  if (duckdb === "BIGINT") return "bigint";
  if (duckdb === "INTEGER") return "integer";
  if (duckdb === "DOUBLE") return "double";
  if (duckdb === "BOOLEAN") return "boolean";
  if (duckdb === "DATE") return "date";
  if (duckdb.startsWith("TIMESTAMP")) return "timestamp";
  if (duckdb.startsWith("DECIMAL")) return "decimal";
  return "varchar";
}

/** See the module comment: compressed chunks of the named columns in the named partitions. */
async function scannedBytes(
  connection: DuckDBConnection,
  options: AthenaHandlerOptions,
  sql: string,
): Promise<number> {
  const periods = /billing_period\s+IN\s*\(([^)]*)\)/i
    .exec(sql)?.[1]
    ?.match(/'([^']*)'/g)
    ?.map((p) => p.slice(1, -1));
  const files: string[] = [];
  for (const table of options.tables) {
    if (!sql.includes(table.table)) continue;
    const data = join(table.dir, DATA_FOLDER);
    if (!existsSync(data)) continue;
    for (const folder of readdirSync(data)) {
      if (!folder.startsWith(PARTITION_PREFIX)) continue;
      if (periods !== undefined && !periods.includes(folder.slice(PARTITION_PREFIX.length)))
        continue;
      for (const file of readdirSync(join(data, folder))) {
        if (file.endsWith(".parquet")) files.push(join(data, folder, file));
      }
    }
  }
  if (files.length === 0) return 0;
  const reader = await connection.runAndReadAll(
    `SELECT path_in_schema, SUM(total_compressed_size) FROM parquet_metadata([${files.map(stringLiteral).join(", ")}]) GROUP BY 1`,
  );
  let bytes = 0;
  for (const [path, size] of reader.getRows()) {
    const column = String(path).split(", ")[0]!;
    if (new RegExp(`\\b${column}\\b`).test(sql)) bytes += Number(size);
  }
  return bytes;
}

class AthenaFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function checkEnvelope(request: LocalRequest): void {
  if (request.method !== "POST" || request.path !== "/") {
    throw new AthenaFault(
      "UnknownOperationException",
      `Athena is served at POST /, not ${request.method} ${request.path}`,
    );
  }
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.startsWith(JSON_11)) {
    throw new AthenaFault(
      "SerializationException",
      `Content-Type must be ${JSON_11}, got ${JSON.stringify(contentType)}`,
    );
  }
  const authorization = request.headers["authorization"] ?? "";
  if (
    !authorization.startsWith("AWS4-HMAC-SHA256 ") ||
    !authorization.includes("/athena/aws4_request")
  ) {
    throw new AthenaFault(
      "MissingAuthenticationTokenException",
      "Request is missing a SigV4 Authorization header for the service athena",
      403,
    );
  }
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AthenaFault("SerializationException", "Request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AthenaFault("SerializationException", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function writeToken(offset: number, id: string): string {
  return Buffer.from(JSON.stringify({ q: id, o: offset })).toString("base64url");
}

function readToken(token: unknown, id: string): number {
  try {
    const t = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as {
      q?: unknown;
      o?: unknown;
    };
    if (t.q === id && typeof t.o === "number" && Number.isInteger(t.o) && t.o > 0) return t.o;
  } catch {
    // fall through: an unreadable token is an invalid one
  }
  throw new AthenaFault("InvalidRequestException", "The NextToken is invalid.");
}

function faultResponse(fault: AthenaRequestFault): LocalResponse {
  switch (fault.kind) {
    case "throttling":
      return json(400, { __type: "ThrottlingException", message: "Rate exceeded" });
    case "too-many-requests":
      return json(400, {
        __type: "TooManyRequestsException",
        Message: "You have exceeded the limit for the number of queries you can run concurrently.",
        Reason: "CONCURRENT_QUERY_LIMIT_EXCEEDED",
      });
    case "server-error":
      return json(500, {
        __type: "InternalServerException",
        Message: "We encountered an internal error.",
      });
  }
}

function json(status: number, body: unknown): LocalResponse {
  return {
    status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": randomUUID() },
    body: JSON.stringify(body),
  };
}
