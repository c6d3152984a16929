# bash completion for dialtone(1)
_dialtone() {
    local cur prev words cword
    _init_completion -s || return

    local commands="call listen register message options devices"
    local global="--config -c --account -a --id --user --password --realm --registrar --proxy --listen
        --transport --no-udp --no-tcp --tls-ca --tls-no-verify --codecs --srtp --dtmf --null-audio --play
        --record --capture-dev --playback-dev --jitter --rtp-ports --session-timer --100rel --max-calls
        --json --verbose -v --quiet -q --sip-trace --pcap --log-file --help -h --version -V"
    local call_opts="--duration --ring-timeout --send-dtmf --dtmf-delay --hangup-after-play --header
        --auto-answer-request"
    local listen_opts="--auto-answer --answer-delay --answer-code --allow --honor-answer-headers --record-dir
        --hangup-after --exit-after --on-event --echo"

    case $prev in
        -c|--config|--tls-ca|--pcap|--log-file) _filedir; return ;;   # --sip-trace takes its file only as --sip-trace=FILE
        --play|--record) _filedir wav; return ;;
        --record-dir) _filedir -d; return ;;
        --transport) COMPREPLY=($(compgen -W "udp tcp tls" -- "$cur")); return ;;
        --srtp) COMPREPLY=($(compgen -W "off optional mandatory" -- "$cur")); return ;;
        --dtmf) COMPREPLY=($(compgen -W "auto rfc4733 info" -- "$cur")); return ;;
        --session-timer|--100rel) COMPREPLY=($(compgen -W "off supported required" -- "$cur")); return ;;
        --codecs) COMPREPLY=($(compgen -W "opus,pcmu,pcma pcmu,pcma,opus pcma,pcmu opus pcmu pcma" -- "$cur")); return ;;
        --account|-a)
            local cfg=${XDG_CONFIG_HOME:-$HOME/.config}/dialtone/config.toml
            [ -r "$cfg" ] && COMPREPLY=($(compgen -W "$(sed -n 's/^\[account\.\(.*\)\]/\1/p' "$cfg" | tr -d '"')" -- "$cur"))
            return ;;
        --capture-dev|--playback-dev|--id|--user|--password|--realm|--registrar|--proxy|--listen|--jitter|\
        --rtp-ports|--max-calls|--duration|--ring-timeout|--send-dtmf|--dtmf-delay|--header|--answer-delay|\
        --answer-code|--allow|--hangup-after|--exit-after|--on-event) return ;;
    esac

    local command="" w
    for w in "${words[@]:1:cword-1}"; do
        case " $commands " in *" $w "*) command=$w; break ;; esac
    done
    if [[ $cur == -* || -n $command ]]; then
        local opts=$global
        case $command in
            call) opts+=" $call_opts" ;;
            listen) opts+=" $listen_opts" ;;
            register) opts+=" --once" ;;
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    fi
}
complete -F _dialtone dialtone
