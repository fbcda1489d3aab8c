// Package echoproto is the protocol of the echo service: requests, and the
// typed stubs clients call. It imports ipc only.
package echoproto
