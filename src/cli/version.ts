/** The package version, kept here so --version needs no file read. Checked against package.json by a test. */
export const VERSION = '0.1.0';
