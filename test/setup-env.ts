// Runs in every test worker before its tests. Every Node start on these machines pays ~68 ms to read the CA bundle
// NODE_EXTRA_CA_CERTS names, and the e2e tests start Node hundreds of times (the CLI, and the hook under each
// `git commit`). No test talks TLS but npm to its registry, so the variable is put aside for those calls
// (registryEnv) and left out of everything else the tests spawn. Benchmarks keep it: they measure what users pay.
const CA = 'NODE_EXTRA_CA_CERTS';
const KEPT = 'CODEAI_TEST_NODE_EXTRA_CA_CERTS';

if (process.env[CA] !== undefined) {
  process.env[KEPT] = process.env[CA];
  delete process.env[CA];
}
