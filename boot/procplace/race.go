//go:build race

package procplace

// raceEnabled: the race detector maps terabytes of shadow memory, so a
// server process built with it gets no address-space limit.
const raceEnabled = true
