using System;
using System.Runtime.InteropServices;
using System.Text;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// nftables through libnftables, the library behind the nft command, in this process: the same
    /// JSON in and out and the same one-transaction batches, without starting an nft process for
    /// every read and write. Loaded when the library is present (it ships with the nftables package);
    /// otherwise the backend runs the nft command.
    /// </summary>
    internal sealed class LibNftables : INft
    {
        private const string Library = "libnftables.so.1";

        // enum nft_output_flags in libnftables.h
        private const uint OutputJson = 1 << 4;

        private LibNftables()
        {
        }

        public static LibNftables TryLoad()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return null;
            }

            try
            {
                var ctx = NativeMethods.nft_ctx_new(0);
                if (ctx == IntPtr.Zero)
                {
                    return null;
                }

                NativeMethods.nft_ctx_free(ctx);
                return new LibNftables();
            }
            catch (DllNotFoundException)
            {
                return null;
            }
            catch (EntryPointNotFoundException)
            {
                return null;
            }
        }

        public NftResult ListTable(string family, string table)
        {
            return Run("list table " + family + " " + table, false);
        }

        public NftResult RunJson(string json, bool checkOnly)
        {
            return Run(json, checkOnly);
        }

        private static NftResult Run(string command, bool dryRun)
        {
            var ctx = NativeMethods.nft_ctx_new(0);
            if (ctx == IntPtr.Zero)
            {
                return new NftResult { ExitCode = 1, Output = string.Empty, Error = "libnftables could not create a context" };
            }

            try
            {
                // JSON output also makes the library read its input as JSON first.
                NativeMethods.nft_ctx_output_set_flags(ctx, NativeMethods.nft_ctx_output_get_flags(ctx) | OutputJson);
                NativeMethods.nft_ctx_set_dry_run(ctx, dryRun);
                NativeMethods.nft_ctx_buffer_output(ctx);
                NativeMethods.nft_ctx_buffer_error(ctx);
                var bytes = Encoding.UTF8.GetBytes(command + "\0");
                var rc = NativeMethods.nft_run_cmd_from_buffer(ctx, bytes);
                return new NftResult
                {
                    ExitCode = rc == 0 ? 0 : 1,
                    Output = Utf8(NativeMethods.nft_ctx_get_output_buffer(ctx)),
                    Error = Utf8(NativeMethods.nft_ctx_get_error_buffer(ctx)),
                };
            }
            finally
            {
                NativeMethods.nft_ctx_free(ctx);
            }
        }

        private static string Utf8(IntPtr p)
        {
            if (p == IntPtr.Zero)
            {
                return string.Empty;
            }

            var length = 0;
            while (Marshal.ReadByte(p, length) != 0)
            {
                length++;
            }

            var buffer = new byte[length];
            Marshal.Copy(p, buffer, 0, length);
            return Encoding.UTF8.GetString(buffer);
        }

        private static class NativeMethods
        {
            [DllImport(Library)]
            public static extern IntPtr nft_ctx_new(uint flags);

            [DllImport(Library)]
            public static extern void nft_ctx_free(IntPtr ctx);

            [DllImport(Library)]
            public static extern uint nft_ctx_output_get_flags(IntPtr ctx);

            [DllImport(Library)]
            public static extern void nft_ctx_output_set_flags(IntPtr ctx, uint flags);

            [DllImport(Library)]
            public static extern void nft_ctx_set_dry_run(IntPtr ctx, [MarshalAs(UnmanagedType.U1)] bool dry);

            [DllImport(Library)]
            public static extern int nft_ctx_buffer_output(IntPtr ctx);

            [DllImport(Library)]
            public static extern int nft_ctx_buffer_error(IntPtr ctx);

            [DllImport(Library)]
            public static extern IntPtr nft_ctx_get_output_buffer(IntPtr ctx);

            [DllImport(Library)]
            public static extern IntPtr nft_ctx_get_error_buffer(IntPtr ctx);

            [DllImport(Library)]
            public static extern int nft_run_cmd_from_buffer(IntPtr ctx, byte[] buffer);
        }
    }
}
