// The floor of the policy throughput benchmark: what the analyzer protocol itself costs (gRPC,
// property deserialisation, the SDK's per-policy wrapping) with a single policy that does
// nothing. Plain JavaScript so that nothing but the protocol is measured.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("bench-empty", {
  policies: [
    {
      name: "no-op",
      description: "Looks at nothing and reports nothing.",
      enforcementLevel: "advisory",
      validateResource: () => undefined,
    },
  ],
});
