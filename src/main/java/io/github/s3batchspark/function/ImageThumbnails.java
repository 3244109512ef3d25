package io.github.s3batchspark.function;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Writes resized copies of each image, with Java's own image I/O (PNG, JPEG, GIF, BMP, and
 * whatever ImageIO plug-ins are on the classpath).
 *
 * <p>User arguments: {@code Sizes} (required), the longest side of each thumbnail in pixels,
 * comma-separated ({@code "128,512"}); the aspect ratio is kept and images are never enlarged.
 * {@code TargetPrefix} (default {@code thumbnails/}): each copy goes to
 * {@code TargetPrefix + size + "/" + key}. {@code TargetBucket} (default: the object's bucket).
 * Copies keep the source's format. An object ImageIO cannot decode is a PermanentFailure.
 * The whole image is held in memory, so this suits photos, not gigapixel scans.
 */
public final class ImageThumbnails implements ObjectFunction {

  @Override
  public FunctionResult apply(FunctionInput input) throws IOException {
    List<Integer> sizes = sizes(input.argument("Sizes", null));
    String prefix = input.argument("TargetPrefix", "thumbnails/");
    String bucket = input.argument("TargetBucket", input.bucket());
    byte[] source = input.readObject().asByteArray();
    String format = formatOf(source);
    BufferedImage image = format == null ? null : ImageIO.read(new ByteArrayInputStream(source));
    if (image == null) {
      return FunctionResult.permanentFailure("Not an image that ImageIO can read ("
          + source.length + " bytes)");
    }
    List<String> written = new ArrayList<>();
    for (int size : sizes) {
      String key = prefix + size + "/" + input.key();
      byte[] thumbnail = encode(resized(image, size, format), format);
      input.writeObject(put -> put.bucket(bucket).key(key)
          .contentType("image/" + format), thumbnail);
      written.add(key);
    }
    return FunctionResult.succeeded("Wrote " + image.getWidth() + "x" + image.getHeight() + " "
        + format + " as " + String.join(", ", written));
  }

  private static List<Integer> sizes(String sizes) {
    if (sizes == null || sizes.isBlank()) {
      throw new IllegalArgumentException("UserArguments.Sizes is required: the longest side of "
          + "each thumbnail in pixels, for example \"128,512\"");
    }
    List<Integer> out = new ArrayList<>();
    for (String s : sizes.split(",")) {
      int size = Integer.parseInt(s.strip());
      if (size < 1) {
        throw new IllegalArgumentException("UserArguments.Sizes: " + size + " is not a size");
      }
      out.add(size);
    }
    return out;
  }

  /** The format name of the image's reader (png, jpeg, gif, bmp), or null when none reads it. */
  private static String formatOf(byte[] bytes) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      return readers.hasNext()
          ? readers.next().getFormatName().toLowerCase(Locale.ROOT) : null;
    }
  }

  private static BufferedImage resized(BufferedImage image, int longest, String format) {
    double scale = Math.min(1.0, (double) longest / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    // JPEG has no alpha channel: its writer refuses ARGB images
    boolean alpha = image.getColorModel().hasAlpha() && !format.equals("jpeg");
    BufferedImage out = new BufferedImage(width, height,
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("ImageIO has no writer for " + format);
    }
    return out.toByteArray();
  }
}
