package boot_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

func TestConsoleSection(t *testing.T) {
	cfg, err := boot.Parse([]byte("console:\n  input: \"ls\\n\"\n  byte_time: 2us\n"))
	require.NoError(t, err)
	require.NotNil(t, cfg.Console)
	assert.Equal(t, "ls\n", cfg.Console.Input)
	assert.Equal(t, boot.Duration(2000), cfg.Console.ByteTime)
	assert.Nil(t, boot.Default().Console, "the default system has no console")

	for _, c := range []struct{ yaml, want string }{
		{"servers:\n  - name: tty\n", `servers[0].name: "tty" needs a console: section`},
		{"console: {}\nservers:\n  - name: tty\n    instances: 2\n", "servers[0].instances: 2 console drivers"},
		{"console:\n  typed: x\n", "console.typed"},
	} {
		_, err := boot.Parse([]byte(c.yaml))
		if assert.Error(t, err, c.yaml) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

func TestStreamServicesPlacement(t *testing.T) {
	for name, want := range map[string]string{"tty": "user", "memdev": "user", "pipe": "kernel"} {
		assert.Equal(t, want, boot.DefaultHybrid[name], "hybrid places %s", name)
		assert.Contains(t, boot.Servers, name)
	}
}

// In every mode, the console is placed with the console: section, its
// UART attached, and the memory devices and pipes answer.
func TestConsoleInEveryMode(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Workload.Clients = 0
			cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: "memdev"}, boot.ServerConf{Name: "pipe"})
			var screen bytes.Buffer
			cfg.Console = &boot.ConsoleConf{Input: "typed\n", Out: &screen}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			var line, piped string
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "user", Body: func(s ipc.Sys) {
				con, err := streamproto.Dial(s, streamproto.TTY)
				assert.NoError(t, err)
				h, err := con.OpenStream("", linux.O_RDWR)
				assert.NoError(t, err)
				buf := make([]byte, 64)
				n, _ := con.Read(h, buf)
				line = string(buf[:n])
				_, err = con.Write(h, []byte("shown\n"))
				assert.NoError(t, err)

				p, _ := streamproto.Dial(s, streamproto.PipeService)
				r, w, err := p.Pipe()
				assert.NoError(t, err)
				_, err = p.Write(w, []byte("through a pipe"))
				assert.NoError(t, err)
				assert.NoError(t, p.Close(w))
				n, _ = p.Read(r, buf)
				piped = string(buf[:n])

				m, _ := streamproto.Dial(s, streamproto.Memdev)
				z, err := m.OpenStream("zero", linux.O_RDONLY)
				assert.NoError(t, err)
				n, err = m.Read(z, buf)
				assert.NoError(t, err)
				assert.Equal(t, make([]byte, 64), buf[:n])
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())
			assert.Equal(t, "typed\n", line)
			assert.Equal(t, "through a pipe", piped)
			assert.Equal(t, "typed\nshown\n", screen.String())
		})
	}
}

func TestConsoleOnAnEmptyKeyboard(t *testing.T) {
	cfg := boot.Default()
	cfg.Workload.Clients = 0
	cfg.Console = &boot.ConsoleConf{In: eofReader{}}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	var n int
	var readErr error
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "user", Body: func(s ipc.Sys) {
		con, _ := streamproto.Dial(s, streamproto.TTY)
		h, _ := con.OpenStream("", linux.O_RDONLY)
		n, readErr = con.Read(h, make([]byte, 8))
	}})
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	assert.NoError(t, readErr)
	assert.Zero(t, n, "no input: end of file")
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
