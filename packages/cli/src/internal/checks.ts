/** Option checks of @tenfold/cli: core's checks kit, re-exported (one implementation). */
export { checkOptions } from '@tenfold/core';
