package ostepfs

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// checksumParser is checksum.py's command line.
var checksumParser = &optparse.Parser{Prog: "checksum.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "Random seed"},
	{Short: "-d", Long: "--data_size", Dest: "data_size", Kind: optparse.IntKind, Default: "4", Help: "Number of bytes in data word"},
	{Short: "-D", Long: "--data", Dest: "data", Default: "", Help: "Data in comma separated form"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// Checksum is file-integrity/checksum.py: the additive, XOR and Fletcher
// checksums of a few bytes, given (-D) or drawn at random.
func Checksum(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(checksumParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "\nOPTIONS seed %d\nOPTIONS data_size %d\nOPTIONS data %s\n\n", v.Int("seed"), v.Int("data_size"), v.Str("data"))
	r := pyrand.New(v.Int("seed"))
	var values []int64
	if data := v.Str("data"); data != "" {
		for _, s := range strings.Split(data, ",") {
			n, err := pyInt(s)
			if err != nil {
				return osteptool.Traceback(errw, "checksum.py", err)
			}
			values = append(values, n)
		}
	} else {
		for i := int64(0); i < v.Int("data_size"); i++ {
			values = append(values, int64(r.Random()*256))
		}
	}
	add, xor, fa, fb := checksums(values)
	var dec, hex, bin strings.Builder
	for _, w := range values {
		fmt.Fprintf(&dec, "%10d ", w)
		fmt.Fprintf(&hex, "      %s ", pyHexByte(w))
		fmt.Fprintf(&bin, "%s ", pyBin(w))
	}
	fmt.Fprintf(out, "Decimal:   %s\nHex:       %s\nBin:       %s\n\n", dec.String(), hex.String(), bin.String())
	if v.Bool("solve") {
		fmt.Fprintf(out, "Add:            %3d       (%s)\n", add, pyBin(add))
		fmt.Fprintf(out, "Xor:            %3d       (%s)\n", xor, pyBin(xor))
		fmt.Fprintf(out, "Fletcher(a,b):  %3d,%3d   (%s,%s)\n", fa, fb, pyBin(fa), pyBin(fb))
	} else {
		fmt.Fprint(out, "Add:      ?\nXor:      ?\nFletcher: ?\n")
	}
	fmt.Fprintln(out)
	return 0
}

// checksums are the book's three checksums of values: their sum mod 256,
// their XOR, and Fletcher's pair of sums mod 255. LECTURE: checksums
func checksums(values []int64) (add, xor, fa, fb int64) {
	for _, w := range values {
		add = floorMod(add+w, 256)
		xor ^= w
		fa = floorMod(fa+w, 255)
		fb = floorMod(fb+fa, 255)
	}
	return add, xor, fa, fb
}

// pyHexByte is the script's print_hex: two hex digits for a byte.
func pyHexByte(v int64) string {
	if v < 16 {
		return "0x0" + strconv.FormatInt(v, 16)
	}
	return "0x" + strconv.FormatInt(v, 16)
}

// pyBin is the script's print_bin: Python's bin(v) padded to 10
// characters after a "0b" of its own ("0b00000101"; a negative value
// keeps bin's "-0b" inside, as the script does).
func pyBin(v int64) string {
	b := "0b" + strconv.FormatInt(v, 2)
	if v < 0 {
		b = "-0b" + strconv.FormatInt(-v, 2)
	}
	return "0b" + strings.Repeat("0", max(0, 10-len(b))) + b[2:]
}
