//go:build race

package boot_test

// oomCause is how a server process dies of its memory limit: the race
// detector's runtime cannot even map its shadow memory under it.
const oomCause = "exited with status 2: fatal error: too many address space collisions for -race mode"
