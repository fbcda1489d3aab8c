// Package optparse parses a command line the way Python's optparse module
// does, as OSTEP's homework simulators use it: short options that may be
// clustered or take their value attached (-s1, -cs 1), long options that may
// be abbreviated to a unique prefix (--se 1, --seed=1), positional arguments
// anywhere (ignored by the tools), "--" ending the options, int values in
// optparse's own syntax (0x.. hex, 0b.. binary, a leading 0 for octal), and
// the last of repeated options winning. A bad command line gets optparse's
// message, for the caller to print on stderr with exit status 2.
//
// It also holds Int, Python's int() of a string, which the tools use on
// their string options, and -h's help in optparse's layout, each option's
// help wrapped as Python's textwrap wraps it (wrap.go), so that a tool's
// -h prints what the script's does.
//
// Imports: the standard library only.
package optparse
