// Every rule's true and false examples, gathered: read by the examples test and by the wire test, which plants each
// secrets rule's true examples in a commit and checks that none of them reaches a model.
import { CLOUD_EXAMPLES } from './cloud.js';
import { GENERIC_EXAMPLES } from './generic.js';
import type { ExampleTable } from './make.js';
import { SAAS_EXAMPLES } from './saas.js';
import { SERVICE_EXAMPLES } from './services.js';
import { VCS_EXAMPLES } from './vcs.js';

export const EXAMPLE_TABLES: readonly ExampleTable[] = [CLOUD_EXAMPLES, VCS_EXAMPLES, SERVICE_EXAMPLES, SAAS_EXAMPLES, GENERIC_EXAMPLES];
export const RULE_EXAMPLES: ExampleTable = Object.assign({}, ...EXAMPLE_TABLES);
