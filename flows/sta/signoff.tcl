# Sign-off with OpenSTA: setup/hold slack, critical path, fmax and power.
#
# Static template. ffet_flow/steps/sta.py writes vars.tcl (every value through one escaping
# function), which sets the array ::ffet and then sources this file. Results are written as
# `key=value` lines to $ffet(values) and parsed by Python; human-readable reports go to
# $ffet(report) for people only.
#
# ::ffet keys: liberty netlist top sdc retime_sdc spef input_activity register_activity values
#              report fmax_iterations fmax_tolerance check_factors (list of period factors)
#              max_cap (CELL/PIN limit pairs, F)
# Times are in the Liberty's time unit (ns), power in W (OpenSTA's design_power is SI).

proc ffet_emit {key value} {
  global ffet_out
  puts $ffet_out "$key=$value"
}

# Setup/hold worst slack and total negative slack of the current constraints.
proc ffet_emit_timing {tag} {
  ffet_emit "$tag.setup_ws" [sta::worst_slack -max]
  ffet_emit "$tag.setup_tns" [sta::total_negative_slack -max]
  ffet_emit "$tag.hold_ws" [sta::worst_slack -min]
  ffet_emit "$tag.hold_tns" [sta::total_negative_slack -min]
}

# Vectorless switching activity, in toggles per clock cycle with duty 0.5 (docs/signoff.md,
# "Power"; OpenSTA 2.0.17 behaviour found by experiment):
# - every input port that is not a clock source toggles input_activity (-input_ports);
# - `-input` sets OpenSTA's fallback activity. Beyond the inputs it has no flag for, 2.0.17 gives
#   it to a register output whose data input has no propagated activity yet (a register in a
#   feedback loop: counters, accumulators, state): the register default, register_activity;
# - the clock toggles twice per cycle (OpenSTA's own rule; its ports are left out above);
# - OpenSTA propagates the rest through the combinational logic and across registers (Q takes
#   the activity of D). No `-global`: it overrides every pin, so nothing would propagate.
# 2.0.17 computes the activities once, at the first power query, and keeps them: a later
# set_power_activity has no effect, so this runs before any. They are per clock cycle, so the
# power after a re-timing follows the new period. `-pins` cannot be used: its Tcl calls
# get_pins_error, which 2.0.17 does not have (and sta::set_power_pin_activity on a cell pin is
# ignored), so register outputs cannot be set directly.
proc ffet_set_activity {} {
  global ffet
  set clock_ports {}
  foreach clk [all_clocks] {
    foreach src [get_property $clk sources] {
      lappend clock_ports [get_full_name $src]
    }
  }
  set data_ports {}
  foreach port [all_inputs] {
    if {[lsearch -exact $clock_ports [get_full_name $port]] < 0} {
      lappend data_ports $port
    }
  }
  set_power_activity -input -activity $ffet(register_activity)
  if {[llength $data_ports] > 0} {
    set_power_activity -input_ports $data_ports -activity $ffet(input_activity)
  }
  ffet_emit "activity.data_inputs" [llength $data_ports]
}

# design_power: internal switching leakage total for the design, then per group.
proc ffet_emit_power {tag} {
  set p [sta::design_power [sta::cmd_corner]]
  ffet_emit "$tag.power_internal" [lindex $p 0]
  ffet_emit "$tag.power_switching" [lindex $p 1]
  ffet_emit "$tag.power_leakage" [lindex $p 2]
  ffet_emit "$tag.power_total" [lindex $p 3]
}

# Design-rule checks of the drivers against the Liberty's limits: pins over their max transition
# (default_max_transition; OpenSTA's own check), driver pins whose net (wires and pins) is over
# their max_capacitance (the limits come from Python as CELL/PIN F pairs: OpenSTA 2.0.17 has no
# capacitance or fanout check), and the largest fanout (the Liberty sets no fanout limit).
proc ffet_emit_drv {tag} {
  global ffet
  set corner [sta::cmd_corner]
  ffet_emit "$tag.drv_max_slew" [llength [sta::pin_slew_limit_violations $corner max]]
  array set limit $ffet(max_cap)
  set over 0
  set fanout 0
  foreach net [get_nets *] {
    set loads 0
    set drivers {}
    foreach pin [get_pins -of_objects $net] {
      if {[$pin is_driver]} {
        lappend drivers $pin
      } elseif {[$pin is_load]} {
        incr loads
      }
    }
    set fanout [expr {max($fanout, $loads)}]
    if {[llength $drivers] == 0} {
      continue
    }
    set cap [expr {max([sta::Net_capacitance $net rise $corner max],
                       [sta::Net_capacitance $net fall $corner max])}]
    foreach pin $drivers {
      set key "[get_property [$pin instance] ref_name]/[get_property $pin lib_pin_name]"
      if {[info exists limit($key)] && $cap > $limit($key)} {
        incr over
      }
    }
  }
  ffet_emit "$tag.drv_max_cap" $over
  ffet_emit "$tag.drv_fanout_largest" $fanout
}

# The worst setup path of all path groups: start and end pins, then every point (pin, driver?, cell, arrival).
proc ffet_emit_path {tag} {
  set ends [find_timing_paths -path_delay max -group_count 1]
  if {[llength $ends] == 0} {
    ffet_emit "$tag.path_count" 0
    return
  }
  # one path per path group (clock, asynchronous, ...): keep the worst
  set pe ""
  foreach e $ends {
    if {$pe eq "" || [get_property $e slack] < [get_property $pe slack]} {
      set pe $e
    }
  }
  ffet_emit "$tag.path_count" 1
  ffet_emit "$tag.path_start" [get_full_name [get_property $pe startpoint]]
  ffet_emit "$tag.path_end" [get_full_name [get_property $pe endpoint]]
  ffet_emit "$tag.path_slack" [get_property $pe slack]
  set i 0
  foreach pt [get_property $pe points] {
    set pin [get_property $pt pin]
    set inst [$pin instance]
    set cell ""
    if {$inst ne "NULL" && ![$pin is_top_level_port]} {
      set cell [get_property $inst ref_name]
    }
    ffet_emit "$tag.point.$i" "[$pin is_driver] [get_property $pt arrival] $cell [get_full_name $pin]"
    incr i
  }
}

proc ffet_retime {period} {
  global ffet
  set ::ffet_period $period
  read_sdc $ffet(retime_sdc)
}

proc ffet_main {} {
  global ffet ffet_out
  set ffet_out [open $ffet(values) w]
  read_liberty $ffet(liberty)
  read_verilog $ffet(netlist)
  # an instance of a cell missing from the Liberty is an error, not a black box
  sta::set_link_make_black_boxes 0
  link_design $ffet(top)
  read_sdc $ffet(sdc)
  if {$ffet(spef) ne ""} {
    read_spef $ffet(spef)
  }
  ffet_set_activity

  # 1. at the target clock
  set clk [lindex [all_clocks] 0]
  set target [get_property $clk period]
  ffet_emit "target.period" $target
  ffet_emit_timing target
  ffet_emit_power target
  ffet_emit_path target
  ffet_emit_drv target
  report_checks -path_delay max -digits 4 > $ffet(report)
  report_checks -path_delay min -digits 4 >> $ffet(report)
  report_power -digits 4 >> $ffet(report)

  # 2. minimum period. First estimate T - WNS_setup (exact for register-to-register paths);
  #    then re-time and refine by the secant rule (I/O delays defined as a fraction of the
  #    period make the slack change more slowly than the period) until
  #    0 <= WNS <= fmax_tolerance x T. T_min is the smallest period seen with WNS >= 0.
  set wns [sta::worst_slack -max]
  if {abs($wns) > 1e29} {
    ffet_emit "fmax.period" none
    close $ffet_out
    return
  }
  set t0 $target
  set w0 $wns
  set period [expr {$target - $wns}]
  ffet_emit "fmax.first_estimate" $period
  set best ""
  set iter 0
  while {$iter < $ffet(fmax_iterations)} {
    ffet_retime $period
    set wns [sta::worst_slack -max]
    incr iter
    if {$wns >= 0 && ($best eq "" || $period < $best)} {
      set best $period
    }
    if {$wns >= 0 && $wns <= $ffet(fmax_tolerance) * $period} {
      break
    }
    set slope 1.0
    if {$period != $t0 && $wns != $w0} {
      set slope [expr {($wns - $w0) / ($period - $t0)}]
    }
    set slope [expr {min(1.0, max(0.05, $slope))}]
    set t0 $period
    set w0 $wns
    # aim a little above zero slack so the last step lands on the feasible side
    set period [expr {$period - ($wns - 0.5 * $ffet(fmax_tolerance) * $period) / $slope}]
  }
  if {$best eq ""} {
    error "no period with non-negative setup slack found in $iter re-timings"
  }
  set period $best
  ffet_retime $period
  set wns [sta::worst_slack -max]
  ffet_emit "fmax.period" $period
  ffet_emit "fmax.iterations" $iter
  ffet_emit_timing fmax
  ffet_emit_power fmax
  puts "ffet: minimum period $period (worst setup slack there $wns)"
  report_power -digits 4 >> $ffet(report)

  # 3. consistency check of the minimum period: re-time at factor x T_min
  foreach f $ffet(check_factors) {
    ffet_retime [expr {$f * $period}]
    ffet_emit "check.$f.period" [expr {$f * $period}]
    ffet_emit "check.$f.setup_ws" [sta::worst_slack -max]
  }
  close $ffet_out
}

if {[catch ffet_main err]} {
  puts "Error: ffet sign-off script failed: $err"
  exit 1
}
