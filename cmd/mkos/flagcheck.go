package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flags that mean something: every command's numbers are checked before
// it runs, so that a negative duration, count or size is an error naming
// the flag rather than a silent default or a run that never ends.

// signedFlags may be negative: seeds are any number, as the OSTEP tools'.
var signedFlags = map[string]bool{"seed": true}

// checkFlags is the root's PersistentPreRunE: it refuses a negative value
// of any duration or integer flag that was set.
func checkFlags(cmd *cobra.Command, _ []string) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && !signedFlags[f.Name] {
			err = nonNegative(f)
		}
	})
	return err
}

// nonNegative checks one flag's value when it is a number or a duration.
func nonNegative(f *pflag.Flag) error {
	v := f.Value.String()
	neg := false
	switch f.Value.Type() {
	case "duration":
		d, perr := time.ParseDuration(v)
		neg = perr == nil && d < 0
	case "int", "int8", "int16", "int32", "int64":
		n, perr := strconv.ParseInt(v, 10, 64)
		neg = perr == nil && n < 0
	}
	if neg && f.Shorthand != "" {
		return fmt.Errorf("-%s (--%s) %s: must not be negative", f.Shorthand, f.Name, v)
	}
	if neg {
		return fmt.Errorf("--%s %s: must not be negative", f.Name, v)
	}
	return nil
}

// exclusive refuses flags that cannot go together.
func exclusive(cmd *cobra.Command, names ...string) error {
	var set []string
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			set = append(set, "--"+n)
		}
	}
	if len(set) > 1 {
		return fmt.Errorf("%s: give only one of them", strings.Join(set, " and "))
	}
	return nil
}
