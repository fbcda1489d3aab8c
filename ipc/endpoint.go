package ipc

import "fmt"

// Endpoint names the destination or source of a message: a task, given by its
// slot in the kernel's task table and the generation of that slot, or a
// service on the bus.
//
// Layout (64 bits): bit 63 set means a service, and the low 16 bits are its
// ServiceID. Otherwise the high 32 bits are the generation and the low 32
// bits the slot. When a task dies its slot's generation is bumped, so an
// Endpoint kept from before names nobody: messages to it fail with ESRCH and
// never reach the task that holds the slot now.
type Endpoint uint64

const serviceBit = 1 << 63

// Special endpoints.
const (
	// KernelEndpoint is the source of messages the kernel itself sends
	// (notifications, calls made by servers placed in the kernel). Slot 0
	// is never a task.
	KernelEndpoint Endpoint = 0
	// Any, given to Receive, accepts a message from any sender.
	Any Endpoint = 1<<63 - 1
)

// TaskEndpoint returns the endpoint of the task in slot with generation gen.
func TaskEndpoint(slot, gen uint32) Endpoint {
	return Endpoint(uint64(gen)<<32 | uint64(slot))
}

// ServiceEndpoint returns the endpoint that addresses service id on the bus.
func ServiceEndpoint(id ServiceID) Endpoint {
	return Endpoint(serviceBit | uint64(id))
}

// IsService reports whether e addresses a service rather than a task.
func (e Endpoint) IsService() bool { return e&serviceBit != 0 && e != Any }

// Service returns the service id of a service endpoint.
func (e Endpoint) Service() ServiceID { return ServiceID(e & 0xffff) }

// Slot returns the task-table slot of a task endpoint.
func (e Endpoint) Slot() uint32 { return uint32(e) }

// Gen returns the generation of a task endpoint.
func (e Endpoint) Gen() uint32 { return uint32(e >> 32 & 0x7fffffff) }

// String renders a task endpoint as "slot.gen" and a service as "svc:N".
func (e Endpoint) String() string {
	switch {
	case e == Any:
		return "any"
	case e == KernelEndpoint:
		return "kernel"
	case e.IsService():
		return fmt.Sprintf("svc:%d", e.Service())
	}
	return fmt.Sprintf("%d.%d", e.Slot(), e.Gen())
}

// ServiceID numbers a service on the bus. The kernel hands them out in
// registration order starting at 1; 0 means "no service".
type ServiceID uint16
