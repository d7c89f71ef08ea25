export { startLoadTarget, type LoadTarget, type LoadTargetOptions } from './load-target.ts';
