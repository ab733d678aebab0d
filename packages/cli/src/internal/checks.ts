/** Option checks of @tenfold/cli: core's checks kit, re-exported (one implementation). */
export { checkOptions, optionKeys } from '@tenfold/core';
