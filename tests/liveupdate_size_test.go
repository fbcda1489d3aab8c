//go:build !js

package tests

// loadUpdates is how many times a live-update campaign updates its server
// under load.
const loadUpdates = 100
