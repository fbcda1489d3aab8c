package ostepfs

import "testing"

// TestVsfs compares vsfs.py's saved runs: the README examples, both
// quiz directions (-r) and the answers, long runs on small and large file
// systems, running out of inodes or blocks, and the errors.
func TestVsfs(t *testing.T) {
	checkGolden(t, "vsfs", Vsfs, []golden{
		{"readme-n6-s16", 0},
		{"readme-n6-s16-c", 0},
		{"readme-n6-s16-r", 0},
		{"default", 1},
		{"default-c", 1},
		{"default-r", 1},
		{"s17-c", 0},
		{"s18-r", 0},
		{"s19-rc-p", 0},
		{"s20-c-p", 0},
		{"s21-p", 0},
		{"hw-d2-c", 1},
		{"hw-i2-c", 1},
		{"hw-d3-c", 1},
		{"hw-i3-c", 1},
		{"long-n100-c", 0},
		{"long-n200-c", 1},
		{"big-fs-c", 0},
		{"out-of-inodes", 1},
		{"out-of-data", 1},
		{"n0", 0},
		{"n0-p", 0},
		{"i1", 1},
		{"i1-n0", 0},
		{"i0", 1},
		{"d0", 1},
		{"seed-bad", 2},
		{"long-opts", 0},
	})
}
