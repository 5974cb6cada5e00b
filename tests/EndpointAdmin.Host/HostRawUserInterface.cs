using System;
using System.Management.Automation.Host;

namespace EndpointAdmin.Host
{
    /// <summary>A fixed-size virtual console: formatting reads BufferSize.Width to lay out tables.</summary>
    internal sealed class HostRawUserInterface : PSHostRawUserInterface
    {
        private readonly int _width;

        public HostRawUserInterface(int width)
        {
            _width = width;
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(_width, 9999); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(_width, 9999);
        public override Size MaxWindowSize => new Size(_width, 9999);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(_width, 50); set { } }
        public override string WindowTitle { get; set; } = "EndpointAdmin";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new HostPromptException("ReadKey");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
