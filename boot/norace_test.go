//go:build !race

package boot_test

// oomCause is how a server process dies of its memory limit.
const oomCause = "exited with status 2: fatal error: out of memory"
