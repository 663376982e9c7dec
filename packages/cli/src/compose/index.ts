export { composeCommand, type PortChoices } from './compose-command.js';
export { CLI_TOKENS } from './cli-tokens.js';
export { PORT_BUILTINS } from './port-builtins.js';
