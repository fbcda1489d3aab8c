package ostepfs

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
)

// lfsCommandList is make_command_list: num random commands, drawn by the
// percentages, on files and directories it tracks as it goes.
func lfsCommandList(r *pyrand.Rand, num int64, pct map[byte]lfsRange, out io.Writer) (string, int, error) {
	var cmds []string
	files, dirs := []string(nil), []string{"/"}
	in := func(c byte, x float64) bool { return x >= pct[c].lo && x < pct[c].hi }
	idle := 0 // draws in a row that made no command
	for num > 0 {
		x := r.Random()
		var cmd string
		switch {
		case in('c', x):
			name := lfsFileName(r, dirs[int(r.Random()*float64(len(dirs)))])
			cmd = "c," + name
			files = append(files, name)
		case in('w', x):
			if len(files) == 0 {
				if idle++; idle > lfsMaxIdle {
					return "", 1, errLFSForever
				}
				continue
			}
			f := files[int(r.Random()*float64(len(files)))]
			off := int(r.Random() * 8)
			n := int(r.Random() * 8)
			cmd = fmt.Sprintf("w,%s,%d,%d", f, off, n)
		case in('d', x):
			name := lfsFileName(r, dirs[int(r.Random()*float64(len(dirs)))])
			cmd = "d," + name
			dirs = append(dirs, name)
		case in('r', x):
			if len(files) == 0 {
				if idle++; idle > lfsMaxIdle {
					return "", 1, errLFSForever
				}
				continue
			}
			i := int(r.Random() * float64(len(files)))
			cmd = "r," + files[i]
			files = append(files[:i:i], files[i+1:]...)
		case in('l', x):
			if len(files) == 0 {
				if idle++; idle > lfsMaxIdle {
					return "", 1, errLFSForever
				}
				continue
			}
			i := int(r.Random() * float64(len(files)))
			name := lfsFileName(r, dirs[int(r.Random()*float64(len(dirs)))])
			cmd = fmt.Sprintf("l,%s,%s", files[i], name)
			files = append(files, name)
		case in('s', x):
			cmd = "s"
		default:
			fmt.Fprintln(out, "abort: internal error with percent operations")
			return "", 1, nil
		}
		cmds = append(cmds, cmd)
		num--
		idle = 0
	}
	return strings.Join(cmds, ":"), 0, nil
}

// errLFSForever is a command list the script would draw forever: with no
// file, only writes, deletes and links can be drawn (a share of 1% or more
// for anything else would have been drawn within lfsMaxIdle draws).
var errLFSForever = fmt.Errorf("the script would loop forever: with no file, only writes, deletes and links can be drawn")

// lfsMaxIdle bounds the draws in a row that make no command.
const lfsMaxIdle = 1 << 20

// lfsFileName is make_random_file_name: two letters and a digit in dir.
func lfsFileName(r *pyrand.Rand, dir string) string {
	l1 := string(rune('a' + int(r.Random()*26)))
	l2 := string(rune('a' + int(r.Random()*26)))
	n := fmt.Sprint(int(r.Random() * 10))
	if dir == "/" {
		return "/" + l1 + l2 + n
	}
	return dir + "/" + l1 + l2 + n
}
