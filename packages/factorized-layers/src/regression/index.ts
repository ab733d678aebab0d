export { TCL, type TCLOptions } from './tcl.js';
export { TRL, type TRLOptions } from './trl.js';
