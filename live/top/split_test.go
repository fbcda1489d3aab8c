//go:build !js

package top

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/live"
)

func TestSplitShowsDashboardAndConsole(t *testing.T) {
	con := live.NewConsole()
	con.Write([]byte("$ ls /\netc\n$ "))
	s := NewSplit(loaded(&fake{snap: snapshot()}), con)
	s.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := s.View()
	assert.Contains(t, v, "mkos top")
	assert.Contains(t, v, "keys go to the shell")
	assert.Contains(t, v, "$ ls /\netc\n$ ")
	assert.Contains(t, v, "q quit", "the help line stays")
	assert.LessOrEqual(t, strings.Count(v, "\n")+1, 30, "lines")
}

func TestSplitKeysGoToTheShellThenTheDashboard(t *testing.T) {
	con := live.NewConsole()
	f := &fake{snap: snapshot()}
	s := NewSplit(loaded(f), con)
	typed := make(chan string)
	go func() { b, _ := io.ReadAll(con.In); typed <- string(b) }()
	for _, k := range append(keys("l", "s", " ", "/"), tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyCtrlC}) {
		s.Update(k)
	}
	s.Update(tea.KeyMsg{Type: tea.KeyCtrlT})
	assert.True(t, s.Dashboard)
	s.Update(keys("c")[0])
	con.Close()
	select {
	case got := <-typed:
		assert.Equal(t, "ls /\r\x03", got, "typed at the console")
	case <-time.After(5 * time.Second):
		t.Fatal("nothing typed")
	}
	require.Equal(t, []string{"crash echo"}, f.sent, "controls sent")
}
