package live

import (
	"io"
	"sync"
)

// Console is the system's console seen from a view: In is what the
// console's keyboard reads (keys typed in the view), and the Console is
// the writer the console's screen writes to, fanned out to every view
// attached, with the last Scrollback bytes kept for one that attaches
// later. Boot the system with it as a live console (boot.ConsoleConf's
// Interactive): virtual time then runs no faster than the wall clock
// while the console waits for a key.
type Console struct {
	In io.Reader
	w  *io.PipeWriter

	mu     sync.Mutex
	screen []byte
	subs   map[chan []byte]bool
	closed bool
}

// Scrollback is how many bytes of the screen a console keeps.
const Scrollback = 64 << 10

// NewConsole returns a console with nothing typed yet.
func NewConsole() *Console {
	r, w := io.Pipe()
	return &Console{In: r, w: w, subs: map[chan []byte]bool{}}
}

// Type types b at the console's keyboard.
func (c *Console) Type(b []byte) error {
	_, err := c.w.Write(b)
	return err
}

// Write is the console's screen: it keeps b and sends it to every browser.
func (c *Console) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.screen = append(c.screen, b...)
	if over := len(c.screen) - Scrollback; over > 0 {
		c.screen = append(c.screen[:0], c.screen[over:]...)
	}
	for ch := range c.subs {
		select {
		case ch <- append([]byte(nil), b...):
		default: // a view that does not keep up misses output, not the system
		}
	}
	return len(b), nil
}

// Attach returns the screen so far and a channel of what follows.
func (c *Console) Attach() ([]byte, chan []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan []byte, 256)
	c.subs[ch] = true
	return append([]byte(nil), c.screen...), ch
}

// Detach stops sending to ch.
func (c *Console) Detach(ch chan []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs, ch)
}

// Screen returns what the console keeps of its screen.
func (c *Console) Screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.screen)
}

// Close hangs the keyboard up: the console reads the end of its input.
func (c *Console) Close() error { return c.w.Close() }

// Lines returns the last n lines of the screen as a terminal would show
// them: a backspace takes back a character, a carriage return goes back
// to the line's start, and escape sequences are dropped.
func (c *Console) Lines(n int) []string {
	lines := []string{""}
	cur := []rune{}
	col := 0
	esc := false
	for _, r := range c.Screen() {
		switch {
		case esc:
			esc = !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
		case r == 0x1b:
			esc = true
		case r == '\n':
			lines[len(lines)-1] = string(cur)
			lines = append(lines, "")
			cur, col = cur[:0], 0
		case r == '\r':
			col = 0
		case r == '\b':
			col = max(col-1, 0)
		case r < ' ' || r == 0x7f:
		default:
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
	}
	lines[len(lines)-1] = string(cur)
	return lines[max(0, len(lines)-n):]
}
