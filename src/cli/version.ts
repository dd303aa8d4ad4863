/** mailwire's version (kept equal to package.json's by a test), in a module that loads nothing else. */
export const VERSION = '0.1.0';
