/**
 * Plays the engine's part in applying resource transforms under \`pulumi.runtime.setMocks\`: the
 * mock monitor does not apply them (mocks switch transforms off), so this records the stack
 * transforms a program registers and runs them, over the SDK's callback protocol, on every
 * resource before the mock sees it. Self-contained (only \`@pulumi/pulumi\` and \`@grpc/grpc-js\`),
 * so the package's consumer test compiles it in a consumer project with its own install.
 */
import * as grpc from "@grpc/grpc-js";
import { CallbacksClient } from "@pulumi/pulumi/proto/callback_grpc_pb";
import { CallbackInvokeRequest } from "@pulumi/pulumi/proto/callback_pb";
import type { Callback } from "@pulumi/pulumi/proto/callback_pb";
import {
  TransformRequest,
  TransformResourceOptions,
  TransformResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";

const clients = new Map<string, CallbacksClient>();

type Monitor = {
  registerResource(req: RegisterResourceRequest, cb: (err: unknown, res?: unknown) => void): void;
  registerStackTransform?(req: Callback, cb: (err: unknown, res?: unknown) => void): void;
};

function invoke(callback: Callback, request: TransformRequest): Promise<TransformResponse> {
  const target = callback.getTarget();
  let client = clients.get(target);
  if (client === undefined) {
    client = new CallbacksClient(target, grpc.credentials.createInsecure());
    clients.set(target, client);
  }
  const call = new CallbackInvokeRequest();
  call.setToken(callback.getToken());
  call.setRequest(request.serializeBinary());
  return new Promise((resolve, reject) =>
    client.invoke(call, (error, response) =>
      error !== null
        ? reject(error)
        : resolve(TransformResponse.deserializeBinary(response.getResponse_asU8())),
    ),
  );
}

/** Makes the mock monitor apply transforms as the engine does. */
/** Call after `setMocks`; returns a function that closes the callback clients. */
export function withEngineTransforms(): () => void {
  const monitor = getMonitor() as unknown as Monitor;
  const stack: Callback[] = [];
  const byUrn = new Map<string, Callback[]>();
  // Mocks switch transforms off; the engine played here supports them. The SDK keeps its state
  // in \`globalThis.globalStore\` outside an async-local context (runtime/state.js); it is reached
  // that way rather than through \`runtime/state\`, whose declarations do not compile under
  // \`skipLibCheck: false\` (the consumer test compiles this file so).
  const store = (globalThis as { globalStore?: { supportsTransforms: boolean } }).globalStore;
  if (store === undefined) throw new Error("withEngineTransforms: call it after setMocks");
  store.supportsTransforms = true;
  monitor.registerStackTransform = (req, cb) => {
    stack.push(req);
    cb(null, {});
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const inherited = [...req.getTransformsList(), ...(byUrn.get(req.getParent()) ?? [])];
    (async () => {
      for (const callback of [...inherited, ...stack]) {
        const request = new TransformRequest();
        request.setType(req.getType());
        request.setName(req.getName());
        request.setCustom(req.getCustom());
        request.setParent(req.getParent());
        request.setProperties(req.getObject());
        request.setOptions(new TransformResourceOptions());
        const response = await invoke(callback, request);
        req.setObject(response.getProperties());
      }
    })().then(
      () =>
        register(req, (err, res) => {
          const urn = (res as { getUrn?: () => string } | undefined)?.getUrn?.();
          if (urn !== undefined) byUrn.set(urn, inherited);
          cb(err, res);
        }),
      (error: unknown) => cb(error),
    );
  };
  return () => {
    for (const client of clients.values()) client.close();
  };
}
