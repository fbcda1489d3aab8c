//go:build !race

package procplace

const raceEnabled = false
