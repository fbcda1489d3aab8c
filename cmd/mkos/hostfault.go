package main

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
)

// injectHostFaults arms the host faults of --host-fault, written
// SERVICE:KIND,SERVICE:KIND.
func injectHostFaults(sys *boot.System, spec string) error {
	if spec == "" {
		return nil
	}
	for _, item := range strings.Split(spec, ",") {
		svc, kind, ok := strings.Cut(item, ":")
		f, known := procplace.ParseHostFault(kind)
		if !ok || !known {
			return fmt.Errorf("--host-fault: %q is not SERVICE:KIND with KIND one of %s", item, hostFaultKinds())
		}
		if err := sys.InjectHost(svc, f); err != nil {
			return fmt.Errorf("--host-fault: %w", err)
		}
	}
	return nil
}

// hostFaultKinds lists the host faults' names.
func hostFaultKinds() string {
	var names []string
	for _, f := range procplace.HostFaults() {
		names = append(names, f.String())
	}
	return strings.Join(names, ", ")
}
