package io.github.s3batchspark.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A response body read chunk by chunk as the socket drains (ChunkedWriteHandler pulls it), so a
 * GET of a 5 GiB generated object holds one chunk at a time, never the object.
 */
final class ContentStream implements ChunkedInput<ByteBuf> {
  private static final int CHUNK = 64 * 1024;

  private final ObjectContent content;
  private long position;

  ContentStream(ObjectContent content) {
    this.content = content;
  }

  @Override
  public boolean isEndOfInput() {
    return position >= content.length();
  }

  @Override
  public void close() {
    position = content.length();
  }

  @Deprecated
  @Override
  public ByteBuf readChunk(ChannelHandlerContext ctx) {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) {
    if (isEndOfInput()) {
      return null;
    }
    ByteBuf chunk = content.chunk(position, CHUNK);
    position += chunk.readableBytes();
    return chunk;
  }

  @Override
  public long length() {
    return content.length();
  }

  @Override
  public long progress() {
    return position;
  }
}
