package ostepfs

import "testing"

// TestLfs compares lfs.py's saved runs: the README example, the
// homework's questions (random and given command lists, intermediate
// logs, no forced checkpoints and the old checkpoint on disk, random inode
// allocation, live paths), every error an operation logs, full
// directories, and the errors and crashes of the script.
func TestLfs(t *testing.T) {
	checkGolden(t, "lfs", Lfs, []golden{
		{"readme-n1-o", 0},
		{"readme-n1-o-c", 0},
		{"default", 0},
		{"default-c", 0},
		{"hw-n3", 0},
		{"hw-n3-c", 0},
		{"hw-n3-i-c", 0},
		{"hw-n3-o-i-c", 0},
		{"hw-s2-n4-i", 0},
		{"hw-L-example-o-c", 0},
		{"hw-L-one-write-o-c", 0},
		{"hw-L-sparse-c", 0},
		{"hw-d-o-i-c", 0},
		{"hw-d-o-i-c-dirs", 0},
		{"hw-a-r-c", 0},
		{"hw-N-i-o-c", 0},
		{"hw-N-D-e-o", 0},
		{"hw-D-stale-e", 0},
		{"e-errors", 0},
		{"v-live-paths", 0},
		{"v-no-final", 0},
		{"n0", 0},
		{"n0-c", 0},
		{"big-n30-c", 0},
		{"big-n40-i", 0},
		{"sync-heavy", 0},
		{"links", 0},
		{"dir-full", 0},
		{"write-neg-size", 0},
		{"unknown-cmd", 0},
		{"unknown-first-e", 1},
		{"malformed-path", 0},
		{"link-bad-dst", 1},
		{"create-under-file", 1},
		{"assert-args", 1},
		{"n-bad", 1},
		{"n-negative", 1},
		{"pct-sum", 1},
		{"pct-neg", 1},
		{"pct-bad-cmd", 1},
		{"pct-dup-gap", 1},
		{"pct-empty", 1},
		{"policy-bad", 1},
		{"write-bad-off", 1},
		{"long-opts", 0},
		{"empty-path", 0},
	})
}
