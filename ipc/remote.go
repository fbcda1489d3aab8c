package ipc

import "strings"

// RemotePrefix marks a name given to Sys.Register as a remote
// registration: Register(RemoteName("fs")) makes the caller a REMOTE
// instance of service "fs" — one that reaches the service on another node
// (the gateway, servers/gateway) — instead of a local one. Only a task
// with KRemote may; the kernel's routing rule (RoutePolicy) decides when
// a remote instance gets a request. The flag rides in the name so that
// every transport of Register (a host process's proxy too) carries it
// unchanged.
const RemotePrefix = "remote:"

// RemoteName returns the name that registers a remote instance of
// service name.
func RemoteName(name string) string { return RemotePrefix + name }

// SplitRemote reports whether a registered name asks for a remote
// instance, and the service's name.
func SplitRemote(reg string) (name string, remote bool) {
	return strings.CutPrefix(reg, RemotePrefix)
}

// RoutePolicy is the bus's rule between a service's local instances and
// its remote ones.
type RoutePolicy uint8

// The routing rules.
const (
	// RouteLocalFirst (the default) routes to a local instance when there
	// is one, else to a remote one: a server restarted or moved back to
	// this node wins at once.
	RouteLocalFirst RoutePolicy = iota
	// RouteRemoteFirst routes to a remote instance when there is one.
	RouteRemoteFirst
	// RouteLocalOnly never routes to a remote instance.
	RouteLocalOnly
)

var routeNames = [...]string{"local-first", "remote-first", "local-only"}

// String returns the rule's name as configurations write it.
func (r RoutePolicy) String() string {
	if int(r) < len(routeNames) {
		return routeNames[r]
	}
	return "route?"
}

// ParseRoute reads a rule's name ("" is local-first).
func ParseRoute(s string) (RoutePolicy, bool) {
	if s == "" {
		return RouteLocalFirst, true
	}
	for i, n := range routeNames {
		if n == s {
			return RoutePolicy(i), true
		}
	}
	return 0, false
}
