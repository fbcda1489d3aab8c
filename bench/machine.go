package bench

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine is the host a report was measured on.
type Machine struct {
	CPUs      int    `json:"cpus"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
	// CPUModel is /proc/cpuinfo's model name, empty when unreadable.
	CPUModel string `json:"cpu_model,omitempty"`
}

// ReadMachine describes this host.
func ReadMachine() *Machine {
	return &Machine{CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		GoVersion: runtime.Version(), CPUModel: cpuModel("/proc/cpuinfo")}
}

// cpuModel returns the first "model name" in a cpuinfo file.
func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// String is the machine in one line.
func (m *Machine) String() string {
	s := m.GOOS + "/" + m.GOARCH + ", " + strconv.Itoa(m.CPUs) + " CPUs, " + m.GoVersion
	if m.CPUModel != "" {
		s += ", " + m.CPUModel
	}
	return s
}
