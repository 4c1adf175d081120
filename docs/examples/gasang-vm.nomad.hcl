# A gasang VM as a Nomad job (exec driver): `gasang run` in the
# foreground is the task. Nomad sends kill_signal on a stop and waits
# kill_timeout before SIGKILL: gasang presses the guest's power button on
# SIGTERM and forces the VM off after --stop-timeout, which is shorter.
#
# The client needs gasang installed at /usr/local/bin/gasang and the tiny
# image (`gasang image build tiny`) under /opt/gasang/images/tiny.

job "gasang-web" {
  datacenters = ["dc1"]
  type        = "service"

  group "vm" {
    network {
      port "http" {
        static = 8080
      }
    }

    task "web" {
      driver = "exec"

      config {
        command = "/usr/local/bin/gasang"
        args = [
          "run",
          "--kernel", "/opt/gasang/images/tiny/Image",
          "--initrd", "/opt/gasang/images/tiny/initramfs.cpio.gz",
          "--append", "console=ttyS0 quiet",
          "--cpus", "2",
          "--memory", "512M",
          "--net", "user,hostfwd=tcp:0.0.0.0:8080-:80",
          "--stop-timeout", "30",
        ]
      }

      kill_signal  = "SIGTERM"
      kill_timeout = "45s"

      # Nomad's cgroup for the task: 2 vCPUs' worth and RAM plus overhead
      resources {
        cpu    = 2000
        memory = 704
      }

      restart {
        attempts = 3
        interval = "5m"
        delay    = "15s"
        mode     = "delay"
      }
    }
  }
}
