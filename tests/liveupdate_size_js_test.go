//go:build js

package tests

// loadUpdates is how many times a live-update campaign updates its server
// under load: fewer under Node, where the tests package runs a second
// time, about ten times slower; the native run makes the hundred.
const loadUpdates = 25
