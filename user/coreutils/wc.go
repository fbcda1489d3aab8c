package coreutils

import (
	"bytes"
	"io"
	"strconv"
)

// wc [-l] [-w] [-c] [FILE...] counts lines, words and bytes (all three
// when no option picks) of each file, or of the standard input; a total
// line follows two files or more.
func wc(u *U, args []string) int {
	opts, files, err := options(args, "lwc")
	if err != nil {
		u.fail("%v", err)
		return 2
	}
	pick := [3]bool{has(opts, 'l'), has(opts, 'w'), has(opts, 'c')}
	if pick == [3]bool{} {
		pick = [3]bool{true, true, true}
	}
	names := files
	if len(files) == 0 {
		names = []string{"-"}
	}
	var rows [][3]int64
	var labels []string
	var total [3]int64
	for _, f := range names {
		c, err := u.count(f)
		if err != nil {
			u.failOn(f, err)
			continue
		}
		rows, labels = append(rows, c), append(labels, f)
		for i := range c {
			total[i] += c[i]
		}
	}
	if len(names) > 1 {
		rows, labels = append(rows, total), append(labels, "total")
	}
	width, picked := 1, 0
	for k, on := range pick {
		if on {
			width, picked = max(width, len(strconv.FormatInt(total[k], 10))), picked+1
		}
	}
	if picked == 1 && len(rows) == 1 {
		width = 1 // a lone count is not padded
	}
	for i, r := range rows {
		sep := ""
		for k, on := range pick {
			if on {
				u.printf("%s%*d", sep, width, r[k])
				sep = " "
			}
		}
		if len(files) > 0 {
			u.printf(" %s", labels[i])
		}
		u.printf("\n")
	}
	return 0
}

// count counts the lines, words and bytes of one input.
func (u *U) count(name string) ([3]int64, error) {
	var c [3]int64
	fd, close, err := u.input(name)
	if err != nil {
		return c, err
	}
	defer close()
	data, err := io.ReadAll(u.File(fd))
	c[0] = int64(bytes.Count(data, []byte{'\n'}))
	c[1] = int64(len(bytes.Fields(data)))
	c[2] = int64(len(data))
	return c, err
}
