package optparse

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Kind is what an option stores.
type Kind int

// The option kinds the OSTEP tools use.
const (
	String  Kind = iota // action="store", type="string"
	IntKind             // action="store", type="int"
	Float               // action="store", type="float"
	True                // action="store_true"
)

// Option is one parser option, as add_option declares it.
type Option struct {
	Short, Long string // "-s", "--seed" ("" for none)
	Dest        string
	Kind        Kind
	Default     string // the default as Python would print it
	Help        string
}

// Parser is an OptionParser: the program's name and its options.
type Parser struct {
	Prog    string
	Options []Option
}

// Values are the parsed options by Dest: strings as given, ints and floats
// parsed, flags as "True" or "False".
type Values struct {
	str  map[string]string
	ints map[string]int64
	flts map[string]float64
}

// Str returns a string option's value.
func (v *Values) Str(dest string) string { return v.str[dest] }

// Int returns an int option's value.
func (v *Values) Int(dest string) int64 { return v.ints[dest] }

// Float returns a float option's value.
func (v *Values) Float(dest string) float64 { return v.flts[dest] }

// Bool reports whether a store_true option was given.
func (v *Values) Bool(dest string) bool { return v.str[dest] == "True" }

// Error is a command line optparse refuses; Error() is its message.
type Error struct{ Prog, Msg string }

func (e *Error) Error() string { return e.Msg }

// Write prints the error as optparse does (on stderr, then exit 2).
func (e *Error) Write(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s [options]\n\n%s: error: %s\n", e.Prog, e.Prog, e.Msg)
}

// ErrHelp is returned for -h or --help, after the help was written.
var ErrHelp = fmt.Errorf("help")

// Parse parses args. For -h it writes the help to help and returns ErrHelp;
// for a bad command line it returns an *Error.
func (p *Parser) Parse(args []string, help io.Writer) (*Values, error) {
	v := &Values{str: map[string]string{}, ints: map[string]int64{}, flts: map[string]float64{}}
	for _, o := range p.Options {
		if err := v.set(&o, o.Default, ""); err != nil {
			return nil, p.withProg(err)
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err error
		switch {
		case a == "--":
			return v, nil
		case strings.HasPrefix(a, "--"):
			i, err = p.long(v, args, i, help)
		case strings.HasPrefix(a, "-") && a != "-":
			i, err = p.short(v, args, i, help)
		}
		if err != nil {
			return nil, p.withProg(err)
		}
	}
	return v, nil
}

// withProg names the program in a parse error.
func (p *Parser) withProg(err error) error {
	if e, ok := err.(*Error); ok {
		e.Prog = p.Prog
	}
	return err
}

// long handles args[i], a long option; it returns the last index used.
func (p *Parser) long(v *Values, args []string, i int, help io.Writer) (int, error) {
	name, val, hasVal := strings.Cut(args[i], "=")
	o, err := p.matchLong(name)
	if err != nil {
		return i, err
	}
	if o == nil {
		return i, p.help(help)
	}
	if o.Kind == True {
		if hasVal {
			return i, p.errorf("%s option does not take a value", o.Long)
		}
		return i, v.set(o, "True", o.Long)
	}
	if !hasVal {
		if i+1 >= len(args) {
			return i, p.errorf("%s option requires 1 argument", o.Long)
		}
		i++
		val = args[i]
	}
	return i, v.set(o, val, o.Long)
}

// matchLong finds the option a long name or its unique prefix names, as
// optparse's _match_abbrev; nil without an error is --help.
func (p *Parser) matchLong(name string) (*Option, error) {
	words := []string{"--help"}
	for _, o := range p.Options {
		if o.Long != "" {
			words = append(words, o.Long)
		}
	}
	var hits []string
	for _, w := range words {
		if w == name {
			return p.byLong(name), nil
		}
		if strings.HasPrefix(w, name) {
			hits = append(hits, w)
		}
	}
	sort.Strings(hits)
	switch len(hits) {
	case 0:
		return nil, p.errorf("no such option: %s", name)
	case 1:
		return p.byLong(hits[0]), nil
	}
	return nil, p.errorf("ambiguous option: %s (%s?)", name, strings.Join(hits, ", "))
}

func (p *Parser) byLong(name string) *Option {
	for i := range p.Options {
		if p.Options[i].Long == name {
			return &p.Options[i]
		}
	}
	return nil
}

// short handles args[i], one or more clustered short options.
func (p *Parser) short(v *Values, args []string, i int, help io.Writer) (int, error) {
	rest := args[i][1:]
	for rest != "" {
		c := "-" + rest[:1]
		rest = rest[1:]
		if c == "-h" {
			return i, p.help(help)
		}
		o := p.byShort(c)
		if o == nil {
			return i, p.errorf("no such option: %s", c)
		}
		if o.Kind == True {
			if err := v.set(o, "True", c); err != nil {
				return i, err
			}
			continue
		}
		val := rest
		if val == "" {
			if i+1 >= len(args) {
				return i, p.errorf("%s option requires 1 argument", c)
			}
			i++
			val = args[i]
		}
		return i, v.set(o, val, c)
	}
	return i, nil
}

func (p *Parser) byShort(name string) *Option {
	for i := range p.Options {
		if p.Options[i].Short == name {
			return &p.Options[i]
		}
	}
	return nil
}

func (p *Parser) errorf(format string, a ...any) error {
	return &Error{Prog: p.Prog, Msg: fmt.Sprintf(format, a...)}
}

// set stores one value of o, given as opt on the command line.
func (v *Values) set(o *Option, val, opt string) error {
	switch o.Kind {
	case IntKind:
		n, ok := optInt(val)
		if !ok {
			return &Error{Msg: fmt.Sprintf("option %s: invalid integer value: %s", opt, Repr(val))}
		}
		v.ints[o.Dest] = n
	case Float:
		f, ok := PyFloat(val)
		if !ok {
			return &Error{Msg: fmt.Sprintf("option %s: invalid floating-point value: %s", opt, Repr(val))}
		}
		v.flts[o.Dest] = f
	default:
		v.str[o.Dest] = val
	}
	return nil
}
