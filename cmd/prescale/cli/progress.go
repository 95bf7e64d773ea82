package cli

import (
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// wantProgress reports whether a long command shows its progress on stderr:
// as its --progress flag says when given, else when stderr is a terminal.
func wantProgress(cmd *cobra.Command, flag bool) bool {
	if cmd.Flags().Changed("progress") {
		return flag
	}
	file, ok := cmd.ErrOrStderr().(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
