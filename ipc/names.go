package ipc

import (
	"sort"
	"strconv"
)

// Names of message types, for people reading traces. Each protocol
// package numbers its request types from 1, so a type means something
// only with the service it goes to: fs's 1 is "open", the disk's 1 is
// "read". Each protocol package registers its names for the services
// that speak it (RegisterNames, from an init function), and
// kernel/tracefmt asks TypeName: "fs.open", not "type=1".

// registry maps a service name to its request names. It is written only
// by init functions and read afterwards.
var registry = map[string]map[Type]string{}

// RegisterNames records the request names of the protocol the service
// called service speaks. Call it from an init function; a later call for
// the same service replaces the names.
func RegisterNames(service string, names map[Type]string) {
	registry[service] = names
}

// RegisteredServices returns the services with names, sorted, for tests.
func RegisteredServices() []string {
	out := make([]string, 0, len(registry))
	for s := range registry {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// kernelTypeNames are the kernel-reserved types, the same for every
// service.
var kernelTypeNames = map[Type]string{Notification: "notification", Ping: "ping", NoReply: "noreply", PageFault: "pagefault",
	StateGet: "stateget", StatePut: "stateput"}

// TypeName names message type t sent to (or answered by) the service
// called service: "fs.open"; a kernel-reserved type by itself ("ping");
// "fs.type=42" for a type the service's protocol does not name, and
// "type=42" when the service is unknown ("").
func TypeName(service string, t Type) string {
	if n, ok := kernelTypeNames[t]; ok {
		return n
	}
	if n, ok := registry[service][t]; ok {
		return service + "." + n
	}
	if service != "" {
		return service + ".type=" + strconv.Itoa(int(t))
	}
	return "type=" + strconv.Itoa(int(t))
}
