// Command wc counts the lines, words and bytes of its files, or of its
// standard input when it has none, as wc(1) does; -l, -w and -c choose
// the counts shown.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

type counts struct{ lines, words, bytes int64 }

func count(r io.Reader) (counts, error) {
	var c counts
	br := bufio.NewReader(r)
	inWord := false
	for {
		ch, n, err := br.ReadRune()
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return c, err
		}
		c.bytes += int64(n)
		if ch == '\n' {
			c.lines++
		}
		if unicode.IsSpace(ch) {
			inWord = false
		} else if !inWord {
			inWord = true
			c.words++
		}
	}
}

func main() {
	l := flag.Bool("l", false, "count lines")
	w := flag.Bool("w", false, "count words")
	b := flag.Bool("c", false, "count bytes")
	flag.Parse()
	if !*l && !*w && !*b {
		*l, *w, *b = true, true, true
	}
	show := func(c counts, name string) {
		var cols []string
		for _, col := range []struct {
			on bool
			n  int64
		}{{*l, c.lines}, {*w, c.words}, {*b, c.bytes}} {
			if col.on {
				cols = append(cols, fmt.Sprintf("%7d", col.n))
			}
		}
		if name != "" {
			cols = append(cols, name)
		}
		fmt.Println(strings.Join(cols, " "))
	}
	if flag.NArg() == 0 {
		c, err := count(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wc:", err)
			os.Exit(1)
		}
		show(c, "")
		return
	}
	status := 0
	var total counts
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wc:", err)
			status = 1
			continue
		}
		c, err := count(f)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "wc:", err)
			status = 1
			continue
		}
		show(c, name)
		total.lines, total.words, total.bytes = total.lines+c.lines, total.words+c.words, total.bytes+c.bytes
	}
	if flag.NArg() > 1 {
		show(total, "total")
	}
	os.Exit(status)
}
