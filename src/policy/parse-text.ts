// The YAML and JSON parsers of policy files and the user config: the very parsers cosmiconfig's loaders run, without
// loading cosmiconfig for them. Its index (explorers, env-paths, its loaders' node:crypto) cost every commit ~4 ms
// of a CPU profile, for a `.codeairc.yaml` that needs js-yaml alone; js-yaml itself loads only when a YAML file is read.

/** YAML as cosmiconfig's loader reads it: js-yaml's `load` with no options. */
export async function parseYamlText(content: string): Promise<unknown> {
  const yaml = (await import('js-yaml')).default;
  return yaml.load(content);
}

/**
 * JSON as cosmiconfig's loader reads it. That loader (parse-json) returns JSON.parse's value; only a file that does
 * not parse goes through it, for its message (the line and column of the fault).
 */
export async function parseJsonText(filepath: string, content: string): Promise<unknown> {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    const { defaultLoaders } = await import('cosmiconfig');
    return defaultLoaders['.json'](filepath, content);
  }
}
