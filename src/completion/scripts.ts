// The shell side of completion: thin functions that hand the words typed so far to `nsm4home __complete` and
// offer what it prints (or file names when it prints __files__). The logic stays in one place: complete.ts.

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# nsm4home completion for bash: source this file, or save it as
#   ~/.local/share/bash-completion/completions/nsm4home
_nsm4home_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out
  out=$(command nsm4home __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  if [[ "$out" == __files__* ]]; then
    local IFS=$'\\n'
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  fi
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
}
complete -F _nsm4home_complete nsm4home
`;

const ZSH = `#compdef nsm4home
# nsm4home completion for zsh: save as _nsm4home in a folder of $fpath (then compinit), or source it.
_nsm4home() {
  local out
  out=$(command nsm4home __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  if [[ "$out" == __files__* ]]; then
    _files
    return
  fi
  local -a candidates
  candidates=("\${(@f)out}")
  compadd -- $candidates
}
if (( $+functions[compdef] )); then compdef _nsm4home nsm4home; fi
`;

const FISH = `# nsm4home completion for fish: save as ~/.config/fish/completions/nsm4home.fish
function __nsm4home_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    set -l out (command nsm4home __complete -- $words 2>/dev/null)
    if test "$out[1]" = __files__
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c nsm4home -f -a '(__nsm4home_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === "bash" ? BASH : shell === "zsh" ? ZSH : FISH;
}
