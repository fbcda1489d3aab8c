package coreutils

import (
	"io"
	"strings"
)

// od [-c | -x | -b] [FILE...] dumps its input with octal offsets, 16
// bytes a line: as octal bytes (-b, the default), characters (-c), or
// hexadecimal 2-byte words, little-endian (-x).
func od(u *U, args []string) int {
	opts, files, err := options(args, "cxb")
	if err != nil {
		return u.usage("[-c | -x | -b] [FILE...]")
	}
	data := readAll(u, files)
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		u.printf("%07o", off)
		for i, c := range row {
			switch {
			case has(opts, 'x') && i%2 == 0:
				w := int(c)
				if i+1 < len(row) {
					w |= int(row[i+1]) << 8
				}
				u.printf(" %04x", w)
			case has(opts, 'x'):
			case has(opts, 'c'):
				u.printf(" %3s", charName(c))
			default:
				u.printf(" %03o", c)
			}
		}
		u.printf("\n")
	}
	u.printf("%07o\n", len(data))
	return 0
}

// charName is how od -c shows byte c.
func charName(c byte) string {
	if e, ok := map[byte]string{0: `\0`, '\a': `\a`, '\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`, '\v': `\v`}[c]; ok {
		return e
	}
	if c < 32 || c > 126 {
		return sprintf("%03o", c)
	}
	return string(c)
}

// hexdump [-C] [FILE...] dumps its input canonically: hexadecimal
// offsets, 16 bytes in hexadecimal, and the printable ones between bars.
// (-C is the only format, accepted for habit.)
func hexdump(u *U, args []string) int {
	_, files, err := options(args, "C")
	if err != nil {
		return u.usage("[-C] [FILE...]")
	}
	data := readAll(u, files)
	for off := 0; off < len(data); off += 16 {
		row := data[off:min(off+16, len(data))]
		var hex, text strings.Builder
		for i := range 16 {
			if i == 8 {
				hex.WriteByte(' ')
			}
			if i < len(row) {
				hex.WriteString(sprintf(" %02x", row[i]))
				c := row[i]
				if c < 32 || c > 126 {
					c = '.'
				}
				text.WriteByte(c)
			} else {
				hex.WriteString("   ")
			}
		}
		u.printf("%08x %s  |%s|\n", off, hex.String(), text.String())
	}
	if len(data) > 0 {
		u.printf("%08x\n", len(data))
	}
	return 0
}

// readAll reads every input into one slice.
func readAll(u *U, files []string) []byte {
	var data []byte
	eachInput(u, files, func(r io.Reader) error {
		b, err := io.ReadAll(r)
		data = append(data, b...)
		return err
	})
	return data
}
