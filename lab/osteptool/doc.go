// Package osteptool is what every reconstructed OSTEP homework simulator
// shares: the Tool record `mkos ostep` lists, Python's exceptions as
// values, and the early exits of a script (optparse's usage error, -h, an
// uncaught exception's traceback).
//
// Imports: lab/optparse.
package osteptool
