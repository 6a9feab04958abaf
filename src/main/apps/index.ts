export type { FinderApp, OptionsSchema, OptionSchema, OptionValues, BuildContext, BuiltCommand, JobFile, ReadOutputsContext } from './types';
export { AppRegistry, BUILTIN_APPS } from './registry';
export { validateOptions } from './optionsSchema';
export { builtinApp, defaultCirasaCommand } from './builtinApp';
export { sextractorApp } from './sextractorApp';
export { caesarApp } from './caesarApp';
export { containerAppFromSpec, loadContainerApp, ContainerAppSpecSchema, type ContainerAppSpec } from './containerApp';
